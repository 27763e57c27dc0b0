import { containsPattern } from "../../db/match.js";
import { readRows } from "../../db/reads.js";
import type { Deps } from "../../env.js";
import { Prisma } from "../../generated/sqlite/client.js";
import { COUNT_LIMIT, ESTIMATE_FACTOR } from "../count-limit.js";
import { conditionsOf, REQUESTER, type TicketFilters, whereSql } from "../filters.js";
import type { SearchPlanner, Source } from "./planner.js";

// PostgreSQL's way to search: one search row per ticket (TicketSearch: its text and its thread in
// lower case, kept by triggers, pg_trgm indexes), read from its indexes for a rare word and row
// by row beside the tickets for a common one (the planner's choice, planned for each word: see
// filters.ts' planOf); a search the planner expects to match too many is not counted.

/**
 * The search condition, on the ticket's search row: lower() on both sides is what ILIKE does,
 * without lowering every row read. With a `key` (search/key.ts) the index is read for that part
 * alone and the whole phrase is checked on each row found (strpos: the planner cannot take it to
 * the index, and a plain substring needs no escaping).
 */
function condition(q: string, replies: boolean, _source: Source, key?: string): Prisma.Sql {
  const pattern = Prisma.sql`lower(${containsPattern(key ?? q)})`;
  const text = replies
    ? Prisma.sql`(ts.own LIKE ${pattern} OR ts.thread LIKE ${pattern})`
    : Prisma.sql`ts.own LIKE ${pattern}`;
  const phrase = Prisma.sql`lower(${q})`;
  const whole = !key
    ? Prisma.empty
    : replies
      ? Prisma.sql` AND (strpos(ts.own, ${phrase}) > 0 OR strpos(ts.thread, ${phrase}) > 0)`
      : Prisma.sql` AND strpos(ts.own, ${phrase}) > 0`;
  return Prisma.sql`EXISTS (SELECT 1 FROM "TicketSearch" ts WHERE ts.id = t.id AND ${text}${whole})`;
}

/**
 * How many tickets PostgreSQL's planner expects the filters' subject-and-description search to
 * match (EXPLAIN: planning only, no rows read). The replies are left out on purpose: the planner
 * can only guess at "or in a reply" (it guesses half the table), and without them the estimate is
 * of a part of the matches, so a large one means the whole is larger still.
 */
async function estimatedMatches(deps: Deps, f: TicketFilters): Promise<number> {
  const own = { ...f, searchReplies: false };
  const [row] = await readRows<{ "QUERY PLAN": [{ Plan: { "Plan Rows": number } }] }>(
    deps.db,
    Prisma.sql`EXPLAIN (FORMAT JSON) SELECT 1 FROM "Ticket" t ${f.requesterMatch ? REQUESTER : Prisma.empty}
    ${whereSql(conditionsOf("postgresql", own, condition(own.q!, false, "table", own.searchKey)))}`,
  );
  return row?.["QUERY PLAN"][0]?.Plan["Plan Rows"] ?? 0;
}

export const postgresSearch: SearchPlanner = {
  // The table in the list's order, always: the search is a condition on it.
  sourceOf: async () => "table",
  condition,
  from: () => Prisma.sql`"Ticket" t`,
  precount: async (deps, f) => ((await estimatedMatches(deps, f)) > ESTIMATE_FACTOR * COUNT_LIMIT ? null : undefined),
};
