import type { Child } from "hono/jsx";
import { searchRegExp } from "../../src/tickets/search/excerpt.js";

/** A text with each place the search text occurs marked (`<mark>`), found as the search finds it. */
export function Highlight({ text, q }: { text: string; q?: string }) {
  if (!q) return <>{text}</>;
  const marks = [...text.matchAll(searchRegExp(q, "giu"))];
  if (!marks.length) return <>{text}</>;
  const parts: Child[] = [];
  let at = 0;
  for (const m of marks) {
    parts.push(text.slice(at, m.index), <mark>{m[0]}</mark>);
    at = m.index + m[0].length;
  }
  parts.push(text.slice(at));
  return <>{parts}</>;
}
