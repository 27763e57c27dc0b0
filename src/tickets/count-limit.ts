// How far a status count goes, and how a search too large to count is told: shared by the lists,
// each database's search planner and the queue's tabs.

/**
 * A count stops at this many tickets: past it, "more than 1,000" says what a person needs, and
 * counting on would cost as much as the tickets counted (the queue's Closed tab at 200,000 tickets).
 */
export const COUNT_LIMIT = 1000;

/** A count of COUNT_LIMIT + 1 means "more than COUNT_LIMIT". */
export const overLimit = (n: number) => n > COUNT_LIMIT;

/**
 * A search estimated to match more than this many times COUNT_LIMIT tickets (with the filters) is
 * not counted at all: PostgreSQL's planner estimates (search/postgresql.ts), SQLite samples its newest
 * matches (search/sqlite.ts). Counting "up to 1,000" reads tickets until it has 1,000 matches, and
 * with a common word and a filter that is tens of thousands of rows at 200,000 tickets (neither
 * index helps: a trigram bitmap costs all the matches, an FTS walk every match the filter drops).
 * The margin of four covers the estimates' error (within 2x in bench/README.md's measurements); a
 * wrong guess costs only the numbers on the status tabs, never a ticket in the list.
 */
export const ESTIMATE_FACTOR = 4;

export type CountRow = { status: string; n: number | bigint };
export const totalOf = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);
export const countsOf = (rows: CountRow[]): Record<string, number> =>
  Object.fromEntries(rows.filter((row) => Number(row.n) > 0).map((row) => [row.status, Number(row.n)]));
