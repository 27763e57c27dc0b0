import { randomBytes } from "node:crypto";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import type Database from "better-sqlite3";
import pg from "pg";
import { providerOf, sqlitePath } from "./database-url.js";
import { like } from "./like.js";
import type { Driver } from "./reads.js";
import { cacheStatements } from "./statement-cache.js";

// The app and the Prisma CLI (prisma.config.ts) both build their driver adapters here, so the
// migrations run on connections configured exactly as the app's.

type Factory = PrismaBetterSQLite3 | PrismaPg;
type Adapter = Awaited<ReturnType<Factory["connect"]>>;

/** WAL lets readers work during a write; foreign keys are off by default in SQLite. */
const SQLITE_PRAGMAS = "PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;";

/** Told the driver under the adapter when it connects, and null when it is disposed (readRows). */
type OnDriver = (driver: Driver | null) => void;

/** The adapter with `onDriver` told of its driver now and when the adapter is disposed. */
function telling(adapter: Adapter, driver: Driver, onDriver: OnDriver): Adapter {
  const dispose = adapter.dispose.bind(adapter);
  adapter.dispose = () => {
    onDriver(null);
    return dispose();
  };
  onDriver(driver);
  return adapter;
}

function sqliteFactory(url: string, onDriver: OnDriver) {
  const base = new PrismaBetterSQLite3({ url: sqlitePath(url), timeout: 5000 });
  const withPragmas = async (adapter: Adapter) => {
    await adapter.executeScript(SQLITE_PRAGMAS);
    // The adapter keeps its better-sqlite3 connection as `client`; LIKE gets a backslash escape,
    // and each SQL text is compiled once.
    const client = (adapter as unknown as { client?: Database.Database }).client;
    client?.function("like", { deterministic: true }, like);
    if (client) cacheStatements(client);
    return adapter;
  };
  return {
    provider: base.provider as typeof base.provider,
    adapterName: base.adapterName,
    connect: async () => {
      const adapter = await withPragmas(await base.connect());
      const client = (adapter as unknown as { client?: Database.Database }).client;
      return client ? telling(adapter, { kind: "sqlite", client }, onDriver) : adapter;
    },
    connectToShadowDb: async () => withPragmas(await base.connectToShadowDb()),
  };
}

/**
 * The schema engine reads catalog columns of type `name` (oid 19) and `"char"` (oid 18), which
 * adapter-pg 6.19 cannot map (prisma/orm#27403). Relabelling them as `text` is lossless.
 */
export class CatalogTypesClient extends pg.Client {}
const CATALOG_OIDS = new Set([18, 19]);
const TEXT_OID = 25;
const originalQuery = pg.Client.prototype.query;
type Fields = { fields?: { dataTypeID: number }[] };
const relabel = (result: Fields | Fields[]) => {
  for (const r of Array.isArray(result) ? result : [result]) {
    for (const field of r?.fields ?? []) if (CATALOG_OIDS.has(field.dataTypeID)) field.dataTypeID = TEXT_OID;
  }
  return result;
};
(CatalogTypesClient.prototype as unknown as { query: (...args: unknown[]) => unknown }).query = function (
  this: pg.Client,
  ...args: unknown[]
) {
  // pg.Pool calls query with a callback; a plain client call returns a promise.
  const last = args.length - 1;
  const callback = args[last];
  if (typeof callback === "function") {
    args[last] = (err: unknown, result: Fields) => callback(err, result && relabel(result));
  }
  const out = (originalQuery as (...a: unknown[]) => unknown).apply(this, args);
  return out instanceof Promise ? out.then(relabel) : out;
};

function pgConfig(url: string, database?: string): pg.PoolConfig {
  const u = new URL(url);
  return {
    host: u.hostname,
    port: Number(u.port || 5432),
    user: decodeURIComponent(u.username || "postgres"),
    password: decodeURIComponent(u.password),
    database: database ?? decodeURIComponent(u.pathname.slice(1) || "postgres"),
    Client: CatalogTypesClient,
    max: Number(u.searchParams.get("connection_limit") ?? 10),
  };
}

async function adminQuery(url: string, sql: string) {
  const client = new pg.Client({ ...pgConfig(url), Client: undefined } as pg.ClientConfig);
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/**
 * adapter-pg 6.19 runs a script (a migration) by splitting it at every ";" and sending the pieces
 * one by one: a ";" in a comment, a string or a function body breaks the script, and a failure
 * half-way leaves the first statements applied. PostgreSQL's simple query protocol takes the whole
 * script at once and runs it as one transaction: all of a migration, or none of it.
 */
function wholeScripts(adapter: Adapter): Adapter {
  const { client } = adapter as unknown as { client?: pg.Pool };
  const onError = (adapter as unknown as { onError?: (error: unknown) => never }).onError?.bind(adapter);
  if (!client || !onError) return adapter;
  adapter.executeScript = async (script: string) => {
    try {
      await client.query(script);
    } catch (error) {
      onError(error);
    }
  };
  return adapter;
}

function pgFactory(url: string, onDriver: OnDriver) {
  const base = new PrismaPg(pgConfig(url));
  return {
    provider: base.provider as typeof base.provider,
    adapterName: base.adapterName,
    connect: async () => {
      const adapter = wholeScripts(await base.connect());
      // adapter-pg keeps its pool as `client`.
      const pool = (adapter as unknown as { client?: pg.Pool }).client;
      return pool instanceof pg.Pool ? telling(adapter, { kind: "postgresql", pool }, onDriver) : adapter;
    },
    // adapter-pg's own shadow factory replays migrations into the main database; this one makes a
    // throwaway database, connects to it by name, and drops it once the adapter is disposed.
    async connectToShadowDb() {
      const name = `hyperdesk_shadow_${randomBytes(6).toString("hex")}`;
      await adminQuery(url, `CREATE DATABASE "${name}"`);
      const adapter = wholeScripts(await new PrismaPg(pgConfig(url, name)).connect());
      const dispose = adapter.dispose.bind(adapter);
      adapter.dispose = async () => {
        await dispose();
        await adminQuery(url, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      };
      return adapter;
    },
  };
}

/** The driver adapter factory for a DATABASE_URL: `file:` is SQLite, `postgres(ql)://` is PostgreSQL. */
export function adapterFactory(url: string, onDriver: OnDriver = () => undefined) {
  const provider = providerOf(url);
  if (provider === "sqlite") return sqliteFactory(url, onDriver);
  if (provider === "postgresql") return pgFactory(url, onDriver);
  throw new Error(`DATABASE_URL must start with file:, postgres:// or postgresql:// (got "${url.split(":")[0]}:...")`);
}
