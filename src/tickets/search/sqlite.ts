import { containsSql } from "../../db/match.js";
import { readRows } from "../../db/reads.js";
import type { Deps } from "../../env.js";
import { Prisma } from "../../generated/sqlite/client.js";
import { COUNT_LIMIT, countsOf, ESTIMATE_FACTOR, overLimit, totalOf } from "../count-limit.js";
import { conditionsOf, REQUESTER, type TicketFilters, whereSql } from "../filters.js";
import type { SearchPlanner, Source } from "./planner.js";

// SQLite's way to search: an FTS5 trigram table kept by triggers (the full_text_search migration),
// walked newest match first so a page stops early; the few tickets an indexed filter leaves read as
// they are; counts decided from a walk of the newest matches (SQLite has no planner estimate).

const [SUBJECT, DESCRIPTION, REPLY_BODY] = [
  Prisma.raw("t.subject"),
  Prisma.raw("t.description"),
  Prisma.raw("rp.body"),
];

/** FTS5's trigram index answers phrases of three characters or more; shorter ones scan. */
const indexable = (q: string) => [...q].length >= 3;

/**
 * The FTS5 query for a search: what was typed as one phrase (double quotes doubled, so FTS syntax
 * is plain text), in the columns this person may search: subject and description, and for staff
 * the replies and internal notes too.
 */
const ftsQuery = (q: string, replies: boolean) => {
  const phrase = `"${q.replace(/"/g, '""')}"`;
  return replies ? phrase : `{subject description} : ${phrase}`;
};

/**
 * The part of a filter set one of Ticket's indexes answers on its own (see the indexes in
 * models.prisma), the most selective there is: counting what it leaves costs no more than what it
 * leaves, and whatever the whole set leaves is among those tickets.
 */
function indexedPart(f: TicketFilters): TicketFilters | undefined {
  const status = f.status === "active" ? undefined : f.status;
  if (f.assigneeId !== undefined) return { assigneeId: f.assigneeId, status };
  if (f.requesterId !== undefined) return { requesterId: f.requesterId, status };
  return status ? { status, priority: f.priority } : undefined;
}

/** Under this many tickets in the indexed filters alone, a search reads each one's text (a few ms at most). */
export const FEW_FILTERED = 500;

async function sourceOf(deps: Deps, f: TicketFilters, byId: boolean): Promise<Source> {
  if (!f.q || !indexable(f.q)) return "table";
  const part = indexedPart(f);
  if (part) {
    const [{ n }] = (await readRows<{ n: number | bigint }>(
      deps.db,
      Prisma.sql`SELECT COUNT(*) AS n FROM (SELECT 1 FROM "Ticket" t
        ${whereSql(conditionsOf("sqlite", part))} LIMIT ${FEW_FILTERED}) few`,
    )) as [{ n: number | bigint }];
    if (Number(n) < FEW_FILTERED) return "filtered";
  }
  return byId ? "index" : "table";
}

/**
 * The search condition: `q` anywhere in the subject or description (and, for staff, a reply or
 * note), case-folded, every character literal, from the FTS5 table; a phrase of one or two
 * characters, or the few tickets an indexed filter leaves, read as they are.
 */
function condition(q: string, replies: boolean, source: Source, key?: string): Prisma.Sql {
  if (indexable(q)) {
    const match = Prisma.sql`"TicketSearch" MATCH ${ftsQuery(key ?? q, replies)}`;
    const whole = key ? Prisma.sql` AND ${phraseIn(q, replies)}` : Prisma.empty;
    if (source === "index") return Prisma.sql`${match}${whole}`;
    // The matching ids gathered once; the few tickets an indexed filter leaves are read as they are
    // (below): FTS5 answers "MATCH ... AND rowid = ?" by reading the word's whole index, not by a
    // seek (figures in bench/README.md).
    if (source !== "filtered") return Prisma.sql`t.id IN (SELECT rowid FROM "TicketSearch" WHERE ${match})${whole}`;
  }
  // Each ticket's own text and its replies (by the ticket's index) read as they are.
  const own = Prisma.sql`${containsSql("sqlite", SUBJECT, q)} OR ${containsSql("sqlite", DESCRIPTION, q)}`;
  return replies
    ? Prisma.sql`(${own} OR EXISTS (SELECT 1 FROM "Reply" rp WHERE rp."ticketId" = t.id AND ${containsSql("sqlite", REPLY_BODY, q)}))`
    : Prisma.sql`(${own})`;
}

/**
 * The whole phrase in a ticket its key found (search/key.ts): in its subject, description or
 * (staff) a reply or note, in lower case. SQLite's lower() folds ASCII only, so only ASCII phrases
 * are looked up by a key (withSearchKey): for them it is the index's own case folding.
 */
function phraseIn(q: string, replies: boolean): Prisma.Sql {
  const phrase = q.toLowerCase();
  const own = Prisma.sql`(instr(lower(t.subject), ${phrase}) > 0 OR instr(lower(t.description), ${phrase}) > 0)`;
  return replies
    ? Prisma.sql`(${own} OR EXISTS (SELECT 1 FROM "Reply" rp WHERE rp."ticketId" = t.id AND instr(lower(rp.body), ${phrase}) > 0))`
    : own;
}

/** The search index first when it leads: SQLite's CROSS JOIN keeps the tables in the order written. */
const from = (source: Source) =>
  source === "index" ? Prisma.sql`"TicketSearch" s CROSS JOIN "Ticket" t ON t.id = s.rowid` : Prisma.sql`"Ticket" t`;

/**
 * SQLite's way to the same decision as PostgreSQL's planner estimate (search/postgresql.ts): the newest COUNT_LIMIT + 1 matches of the
 * search alone (a walk of the search index that stops there, as a page does), each with whether
 * the filters keep it. Fewer than that: every match was seen, and the counts are exact. Else the
 * share the filters keep, carried over the whole desk by the ids the walk spanned, estimates the
 * filtered matches: above ESTIMATE_FACTOR times the limit, no counts (null); below, undefined (count).
 */
async function sampledCounts(deps: Deps, f: TicketFilters): Promise<Record<string, number> | null | undefined> {
  const filters = conditionsOf("sqlite", { ...f, q: undefined });
  const kept = filters.length ? Prisma.join(filters, " AND ") : Prisma.sql`1`;
  const rows = await readRows<{
    status: string;
    seen: number | bigint;
    kept: number | bigint;
    lowest: number | bigint;
  }>(
    deps.db,
    Prisma.sql`SELECT t.status, COUNT(*) AS seen, SUM(CASE WHEN ${kept} THEN 1 ELSE 0 END) AS kept, MIN(t.id) AS lowest
    FROM (SELECT s.rowid FROM ${f.searchKey ? from("index") : Prisma.sql`"TicketSearch" s`}
      WHERE ${condition(f.q!, !!f.searchReplies, "index", f.searchKey)} ORDER BY s.rowid DESC LIMIT ${COUNT_LIMIT + 1}) s
    JOIN "Ticket" t ON t.id = s.rowid ${f.requesterMatch ? REQUESTER : Prisma.empty}
    GROUP BY t.status`,
  );
  const seen = rows.reduce((n, row) => n + Number(row.seen), 0);
  const keptCounts = countsOf(rows.map((row) => ({ status: row.status, n: row.kept })));
  const keptTotal = totalOf(keptCounts);
  if (!overLimit(seen)) return keptCounts;
  if (overLimit(keptTotal)) return null;
  const lowest = Math.min(...rows.map((row) => Number(row.lowest)));
  const [span] = await readRows<{ hi: number | bigint; lo: number | bigint }>(
    deps.db,
    // Each its own subquery: SQLite reads one end of the primary key for a lone MIN or MAX only.
    Prisma.sql`SELECT (SELECT MAX(id) FROM "Ticket") AS hi, (SELECT MIN(id) FROM "Ticket") AS lo`,
  );
  const [hi, lo] = [Number(span!.hi), Number(span!.lo)];
  const estimate = (keptTotal * (hi - lo + 1)) / Math.max(1, hi - lowest + 1);
  return estimate > ESTIMATE_FACTOR * COUNT_LIMIT ? null : undefined;
}

export const sqliteSearch: SearchPlanner = {
  sourceOf,
  condition,
  from,
  precount: async (deps, f, source) => (source === "index" ? sampledCounts(deps, f) : undefined),
};
