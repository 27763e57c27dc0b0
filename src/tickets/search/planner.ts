import type { Provider } from "../../db/database-url.js";
import type { Deps } from "../../env.js";
import type { Prisma } from "../../generated/sqlite/client.js";
import type { TicketFilters } from "../filters.js";
import { postgresSearch } from "./postgresql.js";
import { sqliteSearch } from "./sqlite.js";

// How each database reads a search: one planner per database behind this one interface (SQLite's
// FTS5 trigram index, sampled counts and few-filtered reads; PostgreSQL's search rows, planner
// estimates and per-word plans). tickets/list.ts keeps the filters, sorts and keyset cursors.

/**
 * How a page is read. "index": the search index walked in ticket id order (newest or oldest
 * match first), stopping after a page; "table": the ticket table in the list's order, a search
 * being a condition on it; "filtered": the few tickets the filters alone leave, each one's text
 * read for the words.
 */
export type Source = "index" | "table" | "filtered";

export type SearchPlanner = {
  /** How a page (byId: in id order) or a count of these filters is read. */
  sourceOf(deps: Deps, f: TicketFilters, byId: boolean): Promise<Source>;
  /**
   * The condition that `q` is in the subject or description (and, for staff, a reply or note);
   * `key`, a part of `q` to look up the index by (search/key.ts).
   */
  condition(q: string, replies: boolean, source: Source, key?: string): Prisma.Sql;
  /** The tables a list reads for a source (the search index first when it leads). */
  from(source: Source): Prisma.Sql;
  /**
   * Before a search is counted: null when it matches too many to count, the counts when working
   * them out on the way already gave them, undefined to count.
   */
  precount(deps: Deps, f: TicketFilters, source: Source): Promise<Record<string, number> | null | undefined>;
};

export const plannerOf = (provider: Provider): SearchPlanner =>
  provider === "postgresql" ? postgresSearch : sqliteSearch;
