import type { Ctx } from "../env.js";
import { isPartial } from "./htmx.js";

/** The URL of the next page: the same filters, the cursor after the last row. */
export function nextPageUrl(path: string, query: Record<string, string | undefined>, next?: string) {
  if (!next) return undefined;
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v && k !== "cursor") params.set(k, v);
  params.set("cursor", next);
  return `${path}?${params}`;
}

/** Whether this htmx request asks for more rows (the pager) rather than the whole results. */
export const wantsRows = (c: Ctx) => isPartial(c) && (c.req.header("HX-Target") ?? "").endsWith("#ticket-rows");
