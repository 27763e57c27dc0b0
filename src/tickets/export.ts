import { contentDisposition } from "../attachments/names.js";
import { withOwnReader } from "../db/reads.js";
import type { Deps } from "../env.js";
import { streamed } from "../http/compress.js";
import type { I18n } from "../i18n/translate.js";
import { priorityLabel, statusLabel } from "../i18n/words.js";
import { type ListedTicket, listTickets, type TicketFilters } from "./list.js";

// A list as CSV for spreadsheet programs: every ticket the filters match, read from the database
// a page at a time as the download is read (a pull stream: a slow link holds one page in memory,
// not 200,000 rows), UTF-8 with a byte order mark (Excel reads it as UTF-8 then), CRLF lines and
// RFC 4180 quoting, dates in ISO 8601 (UTC), and no cell a spreadsheet would run as a formula.

/** Rows read from the database per step of the download. */
export const EXPORT_PAGE = 500;

const BOM = "\uFEFF";

/**
 * One cell: a text that begins with =, +, -, @, a tab or a carriage return gets a ' in front (a
 * spreadsheet would otherwise run it: `=HYPERLINK(...)` in a subject is a classic), then quoted
 * if it holds a quote, a comma or a line break.
 */
export function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return "";
  let text = String(value);
  if (typeof value === "string" && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export const csvLine = (cells: (string | number | null | undefined)[]) => `${cells.map(csvCell).join(",")}\r\n`;

const iso = (date: Date | null | undefined) => (date ? date.toISOString() : "");

/** The columns, in the person's language; the staff list's carry who asked, who answers and tags. */
function columnsOf(i18n: I18n, staff: boolean) {
  const { t } = i18n;
  return [
    { title: t("list.number"), cell: (r: ListedTicket) => r.id },
    { title: t("list.subject"), cell: (r: ListedTicket) => r.subject },
    { title: t("filter.status"), cell: (r: ListedTicket) => statusLabel(t, r.status) },
    { title: t("filter.priority"), cell: (r: ListedTicket) => priorityLabel(t, r.priority) },
    ...(staff
      ? [
          { title: t("list.requester"), cell: (r: ListedTicket) => r.requester?.name },
          { title: t("list.assignee"), cell: (r: ListedTicket) => r.assignee?.name ?? "" },
          { title: t("export.tags"), cell: (r: ListedTicket) => (r.tags ?? []).join(", ") },
          { title: t("export.due"), cell: (r: ListedTicket) => iso(r.nextDueAt) },
        ]
      : []),
    { title: t("export.created"), cell: (r: ListedTicket) => iso(r.createdAt) },
    { title: t("list.updated"), cell: (r: ListedTicket) => iso(r.updatedAt) },
  ];
}

/**
 * The CSV of every ticket the filters match, in their order, as a stream of UTF-8 bytes read a
 * page (EXPORT_PAGE rows) at a time when the reader asks for more. `staff`: the queue's columns.
 */
export function exportCsv(deps: Deps, filters: TicketFilters, i18n: I18n, staff: boolean): ReadableStream<Uint8Array> {
  const columns = columnsOf(i18n, staff);
  const encoder = new TextEncoder();
  let cursor: string | undefined;
  // Opened with the first page, closed after the last (or when the reader goes away).
  let reader: ReturnType<typeof withOwnReader> | undefined;
  const done = () => reader?.close();
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        if (!reader) {
          reader = withOwnReader(deps.db);
          controller.enqueue(encoder.encode(BOM + csvLine(columns.map((c) => c.title))));
          return;
        }
        try {
          const page = await listTickets({ ...deps, db: reader.db }, filters, cursor, {
            take: EXPORT_PAGE,
            people: staff,
          });
          if (page.tickets.length)
            controller.enqueue(
              encoder.encode(page.tickets.map((r) => csvLine(columns.map((c) => c.cell(r)))).join("")),
            );
          cursor = page.next;
        } catch (error) {
          done();
          throw error;
        }
        if (!cursor) {
          done();
          controller.close();
        }
      },
      cancel: done,
    },
    // One page waiting at most: the database is read as fast as the download goes, no faster.
    { highWaterMark: 1 },
  );
}

/** "hyperdesk-queue-status-active-tag-wifi-2026-12-07.csv": the list, its view and the day. */
export function exportName(list: string, view: string, now: Date): string {
  const words = view
    .split(/[&=,]/)
    .map((w) => decodeURIComponentSafe(w).toLowerCase())
    .join("-")
    .replace(/[^\p{L}\p{N}]+/gu, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 60)
    .replace(/-+$/, "");
  return `hyperdesk-${list}${words ? `-${words}` : ""}-${now.toISOString().slice(0, 10)}.csv`;
}

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text.replaceAll("+", " "));
  } catch {
    return text;
  }
}

/** The download: CSV, named, never cached (it is one person's view of the desk), compressed as it streams. */
export const csvAnswer = (stream: ReadableStream<Uint8Array>, name: string) =>
  streamed(
    new Response(stream, {
      headers: {
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": contentDisposition("attachment", name),
        "Cache-Control": "private, no-store",
      },
    }),
  );
