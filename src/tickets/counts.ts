import { providerOfDeps } from "../db/match.js";
import { readRows } from "../db/reads.js";
import type { Deps } from "../env.js";
import { Prisma } from "../generated/sqlite/client.js";
import { COUNT_LIMIT, type CountRow, countsOf, overLimit, totalOf } from "./count-limit.js";
import { conditionsOf, planOf, REQUESTER, type TicketFilters, tagIdSql, whereSql, withTagPlan } from "./filters.js";
import { withSearchKey } from "./search/key.js";
import { plannerOf } from "./search/planner.js";
import { statusesOf } from "./statuses.js";

/** How often a tag was found too many to count from its own index alone (a test proves it runs). */
export const countPaths = { tagTooMany: 0 };

/**
 * How many tickets match the filters in each status, for the queue's status tabs (statuses with
 * none left out). Without a search each status is counted from its index up to COUNT_LIMIT + 1,
 * so the tabs cost the same at 200,000 tickets as at 1,000. A search is counted as a whole up to
 * COUNT_LIMIT + 1 matches; past that it has no counts (null), since a common word would make every
 * status's count a walk through its matches.
 */
export async function countByStatus(
  deps: Deps,
  filters: TicketFilters,
  page?: { rows: { status: string }[]; first: boolean; last: boolean },
): Promise<Record<string, number> | null> {
  // The first page holds every match and no status was filtered out: the tabs count its rows, and
  // the filters (a search's above all, whose matches are the costly part) are not run twice.
  if (page?.first && page.last && !filters.status) return countsOfRows(page.rows);
  const provider = providerOfDeps(deps);
  const f = await withSearchKey(
    deps,
    provider,
    await withTagPlan(deps.db, provider, { ...filters, status: undefined }),
  );
  const joins = f.requesterMatch ? REQUESTER : Prisma.empty;
  // Tags: each status counted on its own would walk that status's every ticket for a tag it has
  // none of. The matches are counted together instead, as a search's are, up to COUNT_LIMIT + 1,
  // read from the (rarest) tag's own index: at most that many of its rows, whatever its size.
  // CROSS JOIN keeps that order on SQLite (its planner never reorders one); an inner join elsewhere.
  if (!f.q && f.tags?.length) {
    const [first, ...rest] = f.tags;
    const others = conditionsOf(provider, { ...f, tags: rest });
    // The tag alone: past the limit it is too many to count, known from its index alone (no
    // ticket read). Measured at 1,000,000 tickets on PostgreSQL, a tag on 1,001: 12 ms to read
    // each one's status, for tabs that then said "too many".
    if (!others.length && overLimit(await tagSize(deps, f, first!))) {
      countPaths.tagTooMany++;
      return null;
    }
    const counts = countsOf(
      await readRows<CountRow>(
        deps.db,
        Prisma.sql`SELECT m.status, COUNT(*) AS n FROM (SELECT t.status FROM "TicketTag" tt0 CROSS JOIN "Ticket" t ${joins}
        ${whereSql([
          Prisma.sql`tt0."tagId" = ${tagIdSql(f, first!)}`,
          Prisma.sql`t.id = tt0."ticketId"`,
          ...others,
        ])} LIMIT ${COUNT_LIMIT + 1}) m GROUP BY m.status`,
        planOf(f),
      ),
    );
    return overLimit(totalOf(counts)) ? null : counts;
  }
  if (!f.q) {
    // Under a due filter a status whose clock stands still has none: not counted (filters.ts, `stopped`).
    const counted = (await statusesOf(deps)).names().filter((s) => !(f.due && f.stopped?.includes(s)));
    if (!counted.length) return {};
    const perStatus = counted.map(
      (status) => Prisma.sql`SELECT CAST(${status} AS TEXT) AS status, (SELECT COUNT(*) FROM (SELECT 1 FROM "Ticket" t
      ${joins} ${whereSql(conditionsOf(provider, { ...f, status }))} LIMIT ${COUNT_LIMIT + 1}) few) AS n`,
    );
    return countsOf(await readRows<CountRow>(deps.db, Prisma.join(perStatus, " UNION ALL "), planOf(f)));
  }
  const planner = plannerOf(provider);
  const source = await planner.sourceOf(deps, f, true);
  // Too many to count (null), or counted on the way (SQLite's walk of the newest matches).
  const precounted = await planner.precount(deps, f, source);
  if (precounted !== undefined) return precounted;
  const search = planner.condition(f.q, !!f.searchReplies, source, f.searchKey);
  const counts = countsOf(
    await readRows<CountRow>(
      deps.db,
      Prisma.sql`SELECT m.status, COUNT(*) AS n
      FROM (SELECT t.status FROM ${planner.from(source)} ${joins} ${whereSql(conditionsOf(provider, f, search))}
      LIMIT ${COUNT_LIMIT + 1}) m GROUP BY m.status`,
      planOf(f),
    ),
  );
  return overLimit(totalOf(counts)) ? null : counts;
}

/** How many tickets carry a tag, up to COUNT_LIMIT + 1: a range of its index, no ticket read. */
async function tagSize(deps: Deps, f: TicketFilters, name: string): Promise<number> {
  const [row] = await readRows<{ n: number | bigint }>(
    deps.db,
    Prisma.sql`SELECT COUNT(*) AS n FROM (SELECT 1 FROM "TicketTag" tt WHERE tt."tagId" = ${tagIdSql(f, name)}
    LIMIT ${COUNT_LIMIT + 1}) few`,
  );
  return Number(row?.n ?? 0);
}

/** How many of these rows are in each status. */
export function countsOfRows(rows: { status: string }[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const { status } of rows) counts[status] = (counts[status] ?? 0) + 1;
  return counts;
}
