import type { Deps } from "../env.js";
import { errorForLog } from "../http/errors.js";
import { applyRetention } from "../tickets/retention.js";
import { providerOfDeps } from "./match.js";

const DAY = 86_400_000;
const BATCH = 500;

/**
 * Removes rows that can no longer matter, in batches so no delete holds a lock for long:
 * sessions ended or expired a day ago, throttle windows that have closed, form tokens and drafts
 * older than a day, email links expired a day ago, half-finished sign-ins that ran out, webhook
 * deliveries that went through a month ago. Safe to run on several instances at once. The rows removed, by table.
 */
export async function sweep(deps: Deps): Promise<Record<string, number>> {
  const { db } = deps;
  const now = deps.clock.now();
  const dayAgo = new Date(now.getTime() - DAY);
  const removed: Record<string, number> = {};
  const inBatches = async (table: string, next: () => Promise<number>) => {
    removed[table] = 0;
    for (let n = BATCH; n === BATCH; ) removed[table] += n = await next();
  };
  await inBatches("Session", async () => {
    const old = { OR: [{ expiresAt: { lt: dayAgo } }, { revokedAt: { lt: dayAgo } }] };
    const rows = await db.session.findMany({ where: old, select: { id: true }, take: BATCH });
    return (await db.session.deleteMany({ where: { id: { in: rows.map((r) => r.id) } } })).count;
  });
  await inBatches("Throttle", async () => {
    const rows = await db.throttle.findMany({ where: { resetAt: { lt: now } }, select: { key: true }, take: BATCH });
    return (await db.throttle.deleteMany({ where: { key: { in: rows.map((r) => r.key) }, resetAt: { lt: now } } }))
      .count;
  });
  await inBatches("FormToken", async () => {
    const rows = await db.formToken.findMany({
      where: { createdAt: { lt: dayAgo } },
      select: { userId: true, token: true },
      take: BATCH,
    });
    return rows.length ? (await db.formToken.deleteMany({ where: { OR: rows } })).count : 0;
  });
  await inBatches("Draft", async () => {
    const rows = await db.draft.findMany({ where: { createdAt: { lt: dayAgo } }, select: { id: true }, take: BATCH });
    return (await db.draft.deleteMany({ where: { id: { in: rows.map((r) => r.id) } } })).count;
  });
  await inBatches("LinkToken", async () => {
    const rows = await db.linkToken.findMany({
      where: { expiresAt: { lt: dayAgo } },
      select: { hash: true },
      take: BATCH,
    });
    return (await db.linkToken.deleteMany({ where: { hash: { in: rows.map((r) => r.hash) } } })).count;
  });
  // API answers kept for an Idempotency-Key, past their day (api/idempotency.ts).
  await inBatches("ApiIdempotency", async () => {
    const rows = await db.apiIdempotency.findMany({
      where: { createdAt: { lt: dayAgo } },
      select: { id: true },
      take: BATCH,
    });
    return (await db.apiIdempotency.deleteMany({ where: { id: { in: rows.map((r) => r.id) } } })).count;
  });
  // Webhook deliveries that went through, kept for the delivery log a month (webhooks/deliveries.ts).
  const monthAgo = new Date(now.getTime() - 30 * DAY);
  await inBatches("WebhookDelivery", async () => {
    const rows = await db.webhookDelivery.findMany({
      where: { status: "delivered", createdAt: { lt: monthAgo } },
      select: { id: true },
      take: BATCH,
    });
    return (await db.webhookDelivery.deleteMany({ where: { id: { in: rows.map((r) => r.id) } } })).count;
  });
  // Half-finished sign-ins (a second step, a trip to a provider, a link waiting) that ran out.
  for (const [table, model] of [
    ["PendingSignIn", db.pendingSignIn],
    ["SsoState", db.ssoState],
    ["SsoLink", db.ssoLink],
    ["PasskeyChallenge", db.passkeyChallenge],
  ] as const) {
    const m = model as typeof db.pendingSignIn;
    await inBatches(table, async () => {
      const rows = await m.findMany({ where: { expiresAt: { lt: now } }, select: { hash: true }, take: BATCH });
      return (await m.deleteMany({ where: { hash: { in: rows.map((r) => r.hash) } } })).count;
    });
  }
  if (providerOfDeps(deps) === "sqlite") await optimize(deps);
  return removed;
}

/**
 * SQLite's planner statistics, gathered for the tables that lack them or changed much since (a
 * no-op otherwise). 0x10000 looks at every table, not only those this connection used; 0x02 runs
 * ANALYZE, over every row: not 0x10, SQLite's analysis limit, whose sample of the first rows of each
 * index told a fresh 200,000-ticket desk that its four statuses were 121 (the index's first
 * entries are all of one status), and the CSV export then took 85 s instead of 3.
 * Without them SQLite planned the queue's due order with an assignee
 * filter as a sort of every ticket: 251 ms at 200,000 tickets, 0.3 ms with them. ANALYZE writes, so
 * a busy database skips it until the next sweep rather than making the sweep fail. PostgreSQL's
 * autovacuum keeps its own statistics.
 *
 * Only `sqlite_stat1` is kept. better-sqlite3's SQLite is built with STAT4, whose samples of each
 * index's values make the planner look at a statement's bound values: a statement whose parameter
 * meets an index so sampled is compiled again every time a value is bound to it, which is every
 * run. A ticket's page (its statement has four subqueries) went from 16 to 97 microseconds a run,
 * and to 0.27-0.37 ms under load, the largest single cost of the page (2026-12-08). The samples are
 * emptied and this connection's statistics reloaded (`ANALYZE sqlite_schema`, which also makes
 * its prepared statements compile again, once); another process reloads at its own sweep.
 */
export async function optimizeSqlite(db: Deps["db"]) {
  await db.$executeRawUnsafe("PRAGMA optimize = 0x10002");
  const count = async (sql: string) => Number((await db.$queryRawUnsafe<{ n: bigint | number }[]>(sql))[0]?.n);
  const sampled = await count("SELECT count(*) AS n FROM sqlite_schema WHERE name = 'sqlite_stat4'");
  if (sampled && (await count("SELECT EXISTS (SELECT 1 FROM sqlite_stat4) AS n")))
    await db.$executeRawUnsafe("DELETE FROM sqlite_stat4");
  await db.$executeRawUnsafe("ANALYZE sqlite_schema");
}

async function optimize(deps: Deps) {
  try {
    await optimizeSqlite(deps.db);
  } catch (error) {
    deps.log({ level: "warn", msg: "PRAGMA optimize skipped; will try again", ...errorForLog(error as Error) });
  }
}

/** Sweeps now and then every `everyMs`, logging what went; the timer never keeps the process up. */
export function startSweeping(deps: Deps, everyMs = 10 * 60_000): () => void {
  const run = () =>
    sweep(deps)
      .then((removed) => Object.values(removed).some(Boolean) && deps.log({ msg: "swept old rows", removed }))
      // Retention (RETENTION_MONTHS) runs with the sweep: closed tickets past their time go in batches.
      .then(() => applyRetention(deps))
      .then((report) => report && (report.tickets || report.files) && deps.log({ msg: "retention", ...report }))
      .catch((error: Error) => deps.log({ level: "warn", msg: "sweep failed; will try again", ...errorForLog(error) }));
  void run();
  const timer = setInterval(run, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
