import { randomBytes } from "node:crypto";
import Database from "better-sqlite3";
import { LRUCache } from "lru-cache";
import pg from "pg";
import { providerOf, sqlitePath } from "../db/database-url.js";
import type { Tx } from "../db/prisma.js";
import type { CurrentUser, Deps } from "../env.js";

// The signed-in person of a session, kept in this process so most requests need no query for it
// (the session + user query was a third of a list page's time). Whatever ends a session or changes
// its person (sign-out, sign out everywhere, a password change, disabling, a role or name change)
// calls `sessionsChanged` in its own transaction, and every instance drops its whole cache:
//  - PostgreSQL: pg_notify, delivered at commit to one LISTEN connection per instance; while that
//    connection is down the cache is not used at all, and it is emptied when it comes back;
//  - SQLite (one file, possibly several processes): a row rewritten with a new random value in the
//    same transaction, read before each look-up on a connection of its own (committed data only).
// Within the process the cache is also emptied as soon as the change commits. An answer read
// from the database before a change and stored after it is not kept (the generation moved on).

export type CachedSession = { userId: number; lastSeenAt: number; expiresAt: number; user: CurrentUser };

const CHANNEL = "hyperdesk_sessions";
const GENERATION_KEY = "sessions_generation";
const MAX_ENTRIES = 10_000;

export class SessionCache {
  private entries = new LRUCache<string, CachedSession>({ max: MAX_ENTRIES });
  /** Moves on whenever the cache is emptied: a read that started before it is not stored. */
  generation = 0;
  /** False while the invalidation feed is down: every look-up goes to the database. */
  live = true;
  /** Called before each look-up (SQLite: has another process changed sessions?). */
  check?: () => void;

  get(id: string): CachedSession | undefined {
    this.check?.();
    return this.live ? this.entries.get(id) : undefined;
  }

  set(id: string, entry: CachedSession, generation: number) {
    if (!this.live || generation !== this.generation) return;
    this.entries.set(id, entry);
  }

  /**
   * A desk-wide fact every signed-in request asks about (whether staff must use two-factor), kept
   * with the sessions and emptied with them: what changes it tells every instance as a change to
   * sessions does (`changingSessions`).
   */
  private facts = new Map<string, unknown>();

  fact<T>(key: string): T | undefined {
    this.check?.();
    return this.live ? (this.facts.get(key) as T | undefined) : undefined;
  }

  setFact(key: string, value: unknown, generation: number) {
    if (!this.live || generation !== this.generation) return;
    this.facts.set(key, value);
  }

  clear() {
    this.generation++;
    this.entries.clear();
    this.facts.clear();
  }

  get size() {
    return this.entries.size;
  }
}

const isPostgres = (deps: Deps) => providerOf(deps.config.databaseUrl) === "postgresql";

/** In the transaction of a change to sessions or to a person: tells every instance. */
export async function sessionsChanged(deps: Deps, tx: Tx): Promise<void> {
  if (isPostgres(deps)) {
    await tx.$queryRaw`SELECT pg_notify(${CHANNEL}, '')::text AS sent`;
    return;
  }
  const value = randomBytes(9).toString("base64url");
  await tx.setting.upsert({
    where: { key: GENERATION_KEY },
    create: { key: GENERATION_KEY, value },
    update: { value },
  });
}

/** Runs a change to sessions or people in one transaction that tells every instance, then empties this one's cache. */
export async function changingSessions<T>(deps: Deps, change: (tx: Tx) => Promise<T>): Promise<T> {
  const result = await deps.db.$transaction(async (tx) => {
    const value = await change(tx);
    await sessionsChanged(deps, tx);
    return value;
  });
  deps.sessions.clear();
  return result;
}

/**
 * Listens for changes made by other instances (and processes such as `npm run user:create`).
 * Returns the function that stops listening.
 */
export function startSessionFeed(deps: Deps): () => Promise<void> {
  const cache = deps.sessions;
  if (!isPostgres(deps)) {
    let file: Database.Database;
    let read: Database.Statement;
    try {
      file = new Database(sqlitePath(deps.config.databaseUrl), { readonly: true, fileMustExist: true });
      file.pragma("busy_timeout = 5000");
      read = file.prepare(`SELECT value FROM "Setting" WHERE key = ?`).pluck();
    } catch (error) {
      // No feed, no cache: correctness never rests on a cache that cannot be told of changes.
      cache.live = false;
      deps.log({ level: "warn", msg: `session cache off: ${(error as Error).message}` });
      return async () => undefined;
    }
    let seen = read.get(GENERATION_KEY);
    cache.check = () => {
      const now = read.get(GENERATION_KEY);
      if (now !== seen) {
        seen = now;
        cache.clear();
      }
    };
    return async () => {
      cache.check = undefined;
      file.close();
    };
  }
  let client: pg.Client | undefined;
  let stopped = false;
  let retry: NodeJS.Timeout | undefined;
  const down = () => {
    cache.live = false;
    cache.clear();
  };
  const connect = async () => {
    down();
    const next = new pg.Client({ connectionString: deps.config.databaseUrl });
    client = next;
    next.on("notification", () => cache.clear());
    next.on("error", () => undefined);
    next.on("end", () => {
      if (stopped || client !== next) return;
      down();
      deps.log({ level: "warn", msg: "session cache: lost the database's notifications; reconnecting" });
      retry = setTimeout(connect, 1000);
    });
    try {
      await next.connect();
      await next.query(`LISTEN ${CHANNEL}`);
      if (stopped) return;
      cache.clear();
      cache.live = true;
    } catch {
      client = undefined;
      await next.end().catch(() => undefined);
      if (!stopped) retry = setTimeout(connect, 1000);
    }
  };
  void connect();
  return async () => {
    stopped = true;
    clearTimeout(retry);
    down();
    await client?.end().catch(() => undefined);
  };
}
