import { createHash } from "node:crypto";
import Database from "better-sqlite3";
import { LRUCache } from "lru-cache";
import pg from "pg";
import type { Prisma } from "../generated/sqlite/client.js";
import { like } from "./like.js";
import type { Db } from "./prisma.js";

// The hottest reads (the ticket lists, a ticket's page) are tagged SQL already (`Prisma.sql`);
// handing them to Prisma's `$queryRaw` still costs its client engine a serialisation, a plan and a
// deserialisation per statement, which measured more than SQLite took to run the query. `readRows`
// runs the same statement on the driver under the Prisma client (the adapter's own better-sqlite3
// connection, or its pg pool) and returns exactly what `$queryRaw` would: each column converted by
// its declared type as Prisma's adapters convert it (tests/db/reads.test.ts holds the two equal
// on every table of the schema, on both databases). Writes and transactions stay with Prisma.

export type Driver = { kind: "sqlite"; client: Database.Database } | { kind: "postgresql"; pool: pg.Pool };

const drivers = new WeakMap<object, Driver>();

/** The driver a Prisma client's adapter connected with, or none once it disconnects. */
export function attachDriver(db: object, driver: Driver | null) {
  if (driver) drivers.set(db, driver);
  else drivers.delete(db);
}

/** The driver a Prisma client's adapter connected with, if it told us (src/db/adapters.ts). */
export const driverOf = (db: object): Driver | null => drivers.get(db) ?? null;

/**
 * The client with its reads (`readRows`) on a read-only SQLite connection of their own, with a
 * small page cache, for one long read such as an export: 200,000 rows then pass through 1 MB of
 * cache of their own instead of filling the app's connection's 16 MB one (12 MB more at the
 * export's peak, measured) and pushing the desk's hot pages out of it. Prisma's own calls on the
 * view go to the client as before. On PostgreSQL (the cache is the server's), or before the
 * client has connected, it is the client itself. `close` when the read is done.
 */
export function withOwnReader(db: Db): { db: Db; close: () => void } {
  const driver = drivers.get(db);
  if (driver?.kind !== "sqlite" || !driver.client.open || driver.client.memory) return { db, close: () => {} };
  const client = new Database(driver.client.name, { readonly: true, fileMustExist: true });
  client.pragma(`cache_size = -${OWN_READER_CACHE_KB}`);
  client.pragma("busy_timeout = 5000");
  client.function("like", { deterministic: true }, like);
  const view = new Proxy(db, {
    get(target, key) {
      if (key === UNDERLYING) return target;
      const value = Reflect.get(target, key, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  drivers.set(view, { kind: "sqlite", client });
  ownReaders.opened++;
  return {
    db: view,
    close: () => {
      if (!client.open) return;
      drivers.delete(view);
      client.close();
      ownReaders.closed++;
    },
  };
}
const UNDERLYING = Symbol("the client under a view of withOwnReader");
/** The client itself, under a view of withOwnReader (what per-client caches are kept by). */
export const underlying = (db: Db): Db => (db as unknown as { [UNDERLYING]?: Db })[UNDERLYING] ?? db;
/** Connections opened and closed by withOwnReader (the tests hold each export to one, closed). */
export const ownReaders = { opened: 0, closed: 0 };
/** The page cache of a connection of its own (withOwnReader), in KiB: SQLite's default 2 MB is more than a walk in order needs. */
export const OWN_READER_CACHE_KB = 1024;

/** How the reads of one client went: on the driver (the fast path) or through `$queryRaw`. */
export type ReadCounts = { driver: number; queryRaw: number };
const counts = new WeakMap<object, ReadCounts>();
export const readCounts = (db: object): ReadCounts => ({ driver: 0, queryRaw: 0, ...counts.get(db) });
function count(db: object, way: keyof ReadCounts) {
  const seen = counts.get(db) ?? { driver: 0, queryRaw: 0 };
  seen[way]++;
  counts.set(db, seen);
}

/** The rows of one read-only statement, as `db.$queryRaw` returns them. */
export async function readRows<T>(db: Db, query: Prisma.Sql, { planEach = false }: ReadOptions = {}): Promise<T[]> {
  const driver = drivers.get(db);
  // Not connected yet (Prisma connects on its first query) or disconnected: Prisma does it.
  if (!driver || (driver.kind === "sqlite" && !driver.client.open)) {
    count(db, "queryRaw");
    return db.$queryRaw<T[]>(query);
  }
  count(db, "driver");
  return driver.kind === "sqlite" ? sqliteRows<T>(driver.client, query) : pgRows<T>(driver.pool, query, planEach);
}

export type ReadOptions = {
  /**
   * PostgreSQL plans the statement anew for the values of each run (an unnamed statement) instead
   * of keeping a plan for its text. For a search: after five runs PostgreSQL may keep one plan for
   * every word, and the plan of a common word (walk the tickets, the matches come soon) reads the
   * whole desk for a rare one (measured at 200,000 tickets: 113 ms instead of 2). SQLite plans
   * once per text either way (its planner does not look at the values).
   */
  planEach?: boolean;
};

type Convert = ((value: unknown) => unknown) | null;

/**
 * What Prisma's SQLite adapter and client make of a column, by its declared type (mapDeclType).
 * The adapter's connection reads integers as bigint (safe integers); a column with no declared
 * type (an expression such as COUNT(*)) keeps what SQLite gave, as Prisma does (bigint, or a
 * number for a real).
 */
function sqliteConverter(declared: string | null): Convert {
  switch (declared?.toUpperCase()) {
    case "DATETIME":
    case "TIMESTAMP":
      return (v) => (v === null ? null : new Date(typeof v === "bigint" ? Number(v) : (v as string | number)));
    case "BOOLEAN":
      return (v) => (v === null ? null : Boolean(v));
    case "TINYINT":
    case "SMALLINT":
    case "MEDIUMINT":
    case "INT":
    case "INTEGER":
    case "SERIAL":
    case "INT2":
      return (v) => (v === null ? null : Math.trunc(Number(v)));
    case "BIGINT":
    case "UNSIGNED BIG INT":
    case "INT8":
      return (v) => (v === null ? null : BigInt(v as number));
    case "BLOB":
      return (v) => (v === null ? null : new Uint8Array(v as Buffer));
    case "DECIMAL":
    case "DATE":
    case "TIME":
    case "JSONB":
      // Prisma makes these Decimal, date-only and JSON values: no hot read selects one.
      throw new Error(`readRows: a ${declared} column is not supported; use $queryRaw`);
    default:
      return null;
  }
}

type Prepared = { statement: Database.Statement; names: string[]; converters: Convert[] };
const MAX_STATEMENTS = 200;
const prepared = new WeakMap<Database.Database, LRUCache<string, Prepared>>();

function prepare(client: Database.Database, sql: string): Prepared {
  let statements = prepared.get(client);
  if (!statements) {
    statements = new LRUCache({ max: MAX_STATEMENTS });
    prepared.set(client, statements);
  }
  let found = statements.get(sql);
  if (!found) {
    // The texts are few (values are parameters); a flood of distinct ones pushes out the oldest.
    // The connection's own prepare: the adapter's is wrapped for Prisma's use (statement-cache.ts).
    const statement = Database.prototype.prepare.call(client, sql);
    if (!statement.reader) throw new Error("readRows runs statements that return rows only");
    const columns = statement.columns();
    statement.raw(true);
    found = { statement, names: columns.map((c) => c.name), converters: columns.map((c) => sqliteConverter(c.type)) };
    statements.set(sql, found);
  }
  return found;
}

/** A parameter as Prisma's SQLite adapter writes it: dates as ISO text with +00:00, booleans 1/0. */
const sqliteArg = (value: unknown) =>
  value instanceof Date
    ? value.toISOString().replace("Z", "+00:00")
    : typeof value === "boolean"
      ? Number(value)
      : value;

function sqliteRows<T>(client: Database.Database, query: Prisma.Sql): T[] {
  const { statement, names, converters } = prepare(client, query.sql);
  const rows = statement.all(query.values.map(sqliteArg)) as unknown as unknown[][];
  return rows.map((values) => {
    const row: Record<string, unknown> = {};
    for (let i = 0; i < names.length; i++) {
      const convert = converters[i];
      row[names[i]!] = convert ? convert(values[i]) : values[i];
    }
    return row as T;
  });
}

const { builtins } = pg.types;
/** Prisma's columns are `timestamp(3)` without a zone, holding UTC: read as UTC, whatever TZ says. */
const utc = (text: string) => new Date(`${text.replace(" ", "T")}Z`);
const PG_PARSERS: Partial<Record<number, (text: string) => unknown>> = {
  [builtins.TIMESTAMP]: utc,
  [builtins.INT8]: (text) => BigInt(text),
  [builtins.BYTEA]: (text) => new Uint8Array(pg.types.getTypeParser(builtins.BYTEA)(text) as Buffer),
};
// (numeric, date, time and json, which Prisma makes Decimal, date-only and JSON values, are not
// selected by any hot read: they would come back as pg gives them.)
const pgTypes = {
  getTypeParser: (oid: number, format?: "text" | "binary") =>
    PG_PARSERS[oid] ?? pg.types.getTypeParser(oid, format ?? "text"),
} as pg.CustomTypesConfig;

/** A date parameter as ISO text: a `timestamp` column takes its time and ignores the zone, as Prisma's are UTC. */
const pgArg = (value: unknown) => (value instanceof Date ? value.toISOString() : value);

/**
 * A name per SQL text: pg then prepares each statement once per connection and PostgreSQL keeps
 * its plan, instead of parsing and planning the same text on every page (Prisma's adapter sends
 * every query unnamed). The columns are named in every statement, so a migration that adds a
 * column does not change what a prepared one returns.
 */
const names = new LRUCache<string, string>({ max: MAX_STATEMENTS });
function nameOf(text: string): string {
  let name = names.get(text);
  if (!name) {
    name = `hd_${createHash("sha256").update(text).digest("base64url").slice(0, 22)}`;
    names.set(text, name);
  }
  return name;
}

async function pgRows<T>(pool: pg.Pool, query: Prisma.Sql, planEach: boolean): Promise<T[]> {
  const text = query.text;
  const name = planEach ? undefined : nameOf(text);
  const result = await pool.query({ name, text, values: query.values.map(pgArg), types: pgTypes });
  return result.rows as T[];
}
