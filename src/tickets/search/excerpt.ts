import { escapeRegExp } from "../../db/like.js";

/** Where a search text occurs, case-folded as the search folds it; `g` for every occurrence. */
export const searchRegExp = (q: string, flags = "iu") => new RegExp(escapeRegExp(q), flags);

/**
 * The stretch of a long text around the first place `q` occurs, cut at spaces, with an ellipsis
 * where it was cut; undefined if `q` is not in it.
 */
export function excerptOf(text: string, q: string, around = 70): string | undefined {
  const found = searchRegExp(q).exec(text);
  if (!found) return undefined;
  let start = Math.max(0, found.index - around);
  let end = Math.min(text.length, found.index + found[0].length + around);
  if (start > 0) {
    const space = text.indexOf(" ", start);
    if (space !== -1 && space < found.index) start = space + 1;
  }
  if (end < text.length) {
    const space = text.lastIndexOf(" ", end);
    if (space >= found.index + found[0].length) end = space;
  }
  const body = text.slice(start, end).replace(/\s+/g, " ").trim();
  return `${start > 0 ? "… " : ""}${body}${end < text.length ? " …" : ""}`;
}
