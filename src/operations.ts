import { stat, statfs } from "node:fs/promises";
import { appVersion } from "./db/backup.js";
import { providerOf, sqlitePath } from "./db/database-url.js";
import type { Deps } from "./env.js";
import { outboxCounts } from "./mail/outbox.js";
import { liveSessionsCount } from "./users/sessions.js";

// What the desk runs with, for its operator: the admin page /admin/operations and /metrics
// (Prometheus) read the same figures. Mail's last poll is written by the IMAP poller of whichever
// instance polled (a row of Setting), so every instance shows the same.

const LAST_POLL = "imap_last_poll";
const LAST_POLL_ERROR = "imap_last_error";

/** The IMAP poller's word after each pass (ok), or after a failed one (the error, shortened). */
export async function recordMailPoll(deps: Deps, error?: string) {
  const now = deps.clock.now().toISOString();
  const [key, value] = error ? [LAST_POLL_ERROR, `${now} ${error.slice(0, 300)}`] : [LAST_POLL, now];
  await deps.db.setting.upsert({ where: { key }, create: { key, value }, update: { value } });
}

export type Operations = Awaited<ReturnType<typeof operationsOf>>;

export async function operationsOf(deps: Deps) {
  const { db, config } = deps;
  const provider = providerOf(config.databaseUrl) ?? "sqlite";
  const [outbox, lastSent, settings, sessions, tickets, databaseBytes, diskFree] = await Promise.all([
    outboxCounts(db),
    db.outboxMessage.aggregate({ _max: { sentAt: true } }),
    db.setting.findMany({ where: { key: { in: [LAST_POLL, LAST_POLL_ERROR] } } }),
    liveSessionsCount(deps),
    db.ticket.groupBy({ by: ["status"], _count: { _all: true } }),
    databaseSize(deps, provider),
    provider === "sqlite" ? diskFreeBytes(sqlitePath(config.databaseUrl)) : Promise.resolve(null),
  ]);
  const setting = (key: string) => settings.find((s) => s.key === key)?.value ?? null;
  const lastError = setting(LAST_POLL_ERROR);
  return {
    version: appVersion(),
    node: process.version,
    provider,
    databaseBytes,
    diskFree,
    outbox,
    lastSent: lastSent._max.sentAt,
    sending: Boolean(config.mail.smtpUrl),
    worker: config.mail.worker,
    incoming: Boolean(config.mail.imap?.url),
    lastPoll: setting(LAST_POLL) ? new Date(setting(LAST_POLL)!) : null,
    lastPollError: lastError ? { at: new Date(lastError.slice(0, 24)), message: lastError.slice(25) } : null,
    sessions,
    tickets: Object.fromEntries(tickets.map((t) => [t.status, t._count._all])) as Record<string, number>,
  };
}

async function databaseSize(deps: Deps, provider: string): Promise<number | null> {
  try {
    if (provider === "postgresql") {
      const rows = await deps.db.$queryRaw<{ size: bigint }[]>`SELECT pg_database_size(current_database()) AS size`;
      return Number(rows[0]?.size ?? 0);
    }
    const file = sqlitePath(deps.config.databaseUrl);
    let total = 0;
    for (const part of [file, `${file}-wal`])
      total += await stat(part).then(
        (s) => s.size,
        () => 0,
      );
    return total;
  } catch {
    return null;
  }
}

async function diskFreeBytes(file: string): Promise<number | null> {
  try {
    const s = await statfs(file);
    return s.bavail * s.bsize;
  } catch {
    return null;
  }
}
