import { Pager, TicketRows } from "../../views/tickets/_results.js";
import type { Ctx } from "../env.js";
import type { ListedTicket } from "../tickets/list.js";
import { fragment, isPartial } from "./htmx.js";

/** The URL of the next page: the same filters, the cursor after the last row. */
export function nextPageUrl(path: string, query: Record<string, string | undefined>, next?: string) {
  if (!next) return undefined;
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v && k !== "cursor") params.set(k, v);
  params.set("cursor", next);
  return `${path}?${params}`;
}

/** The first page of the same list, when this is a later one (no way back otherwise without JavaScript). */
export function firstPageUrl(path: string, query: Record<string, string | undefined>) {
  return query.cursor ? listUrl(path, query) : undefined;
}

/** `path` with the list's filters (those set), never a page's cursor. */
export function listUrl(path: string, query: Record<string, string | undefined>) {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v && k !== "cursor") params.set(k, v);
  return params.size ? `${path}?${params}` : path;
}

/**
 * A page of a log listed newest first by id (the outbox, incoming mail): `page` holds up to
 * `size + 1` rows after `before`; the rows to show, and the links to older rows and back to the newest.
 */
export function logPage<T extends { id: number }>(
  path: string,
  filter: Record<string, string | undefined>,
  page: T[],
  size: number,
  before: number | undefined,
) {
  const rows = page.slice(0, size);
  const url = (extra: Record<string, string>) => {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries({ ...filter, ...extra })) if (v) params.set(k, v);
    return params.size ? `${path}?${params}` : path;
  };
  return {
    rows,
    olderUrl: page.length > size ? url({ before: String(rows.at(-1)!.id) }) : undefined,
    newestUrl: before ? url({}) : undefined,
  };
}

/** Whether this htmx request asks for more rows (the pager) rather than the whole results. */
export const wantsRows = (c: Ctx) => isPartial(c) && (c.req.header("HX-Target") ?? "").endsWith("#ticket-rows");

/** The pager's answer with htmx: the next page's rows to append, and the pager moved on out of band. */
export const moreRows = (
  c: Ctx,
  tickets: ListedTicket[],
  nextUrl: string | undefined,
  queue?: { picked: (id: number) => boolean },
) =>
  fragment(
    c,
    <>
      <TicketRows tickets={tickets} staffColumns={Boolean(queue)} picked={queue?.picked} />
      <Pager nextUrl={nextUrl} oob />
    </>,
  );
