import type Database from "better-sqlite3";
import { LRUCache } from "lru-cache";

// Prisma's better-sqlite3 adapter (6.19) prepares every statement anew, `client.prepare(sql).bind(args)`:
// about a tenth of a ticket page's CPU went to SQLite compiling the same few SQL texts again. This
// gives the adapter each SQL text's statement once, wrapped so that what it calls on it (bind once,
// then reader, run, columns, raw().all) runs the cached statement with that call's parameters.

type Statement = Database.Statement;
const MAX_STATEMENTS = 500;

/** One use of a cached statement, with its parameters: the part of the Statement API the adapter uses. */
class BoundUse {
  constructor(
    private readonly statement: Statement,
    private readonly params: unknown[] = [],
  ) {}
  get reader() {
    return this.statement.reader;
  }
  bind(params: unknown[]) {
    return new BoundUse(this.statement, params);
  }
  run() {
    return this.statement.run(this.params);
  }
  columns() {
    return this.statement.columns();
  }
  raw() {
    const rows = this.statement.raw(true);
    return { all: () => rows.all(this.params) };
  }
}

/** How often a connection's `prepare` found its statement compiled already (the fast path), or compiled it. */
export type CacheCounts = { hits: number; compiled: number };
const counts = new WeakMap<Database.Database, CacheCounts>();
/** The counts of a connection whose statements are cached; null for one that is not. */
export const statementCacheCounts = (client: Database.Database): CacheCounts | null => {
  const seen = counts.get(client);
  return seen ? { ...seen } : null;
};

/** Makes this connection's `prepare` return cached statements (at most MAX_STATEMENTS texts). */
export function cacheStatements(client: Database.Database) {
  const prepare = client.prepare.bind(client);
  const statements = new LRUCache<string, Statement>({ max: MAX_STATEMENTS });
  const seen: CacheCounts = { hits: 0, compiled: 0 };
  counts.set(client, seen);
  (client as unknown as { prepare: (sql: string) => BoundUse }).prepare = (sql: string) => {
    let statement = statements.get(sql);
    if (statement) seen.hits++;
    else {
      seen.compiled++;
      // Queries are parameterised, so the texts are few; a flood of distinct ones pushes out the oldest.
      statement = prepare(sql);
      statements.set(sql, statement);
    }
    return new BoundUse(statement);
  };
}
