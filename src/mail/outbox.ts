import type { Db, OutboxMessageModel as OutboxMessage, Tx } from "../db/prisma.js";
import type { Deps } from "../env.js";
import { newMessageId } from "./addresses.js";
import type { Composed } from "./messages.js";

// The transactional outbox: a message is a row written with the change that calls for it; the
// worker (worker.ts) claims due rows with a lease, sends them, and records what happened.

export const OUTBOX_STATUSES = ["waiting", "sending", "sent", "failed", "kept"] as const;
export type OutboxStatus = (typeof OUTBOX_STATUSES)[number];

/** Headers the sender adds to the message, kept with the row so a retry sends the same ones. */
export type OutboxHeaders = { fromName?: string; inReplyTo?: string; references?: string[]; replyTo?: string };

export type Outgoing = Composed & {
  kind: string;
  ticketId?: number;
  to: { id?: number; email: string };
  headers?: OutboxHeaders;
  /** A fixed Message-ID (a ticket's receipt is its thread root); otherwise a new one. */
  messageId?: string;
};

/** Writes one message to send, inside the caller's transaction. */
export async function enqueue(deps: Deps, tx: Tx, message: Outgoing, now: Date): Promise<void> {
  await tx.outboxMessage.create({
    data: {
      messageId: message.messageId ?? newMessageId(deps.config),
      kind: message.kind,
      ticketId: message.ticketId ?? null,
      toUserId: message.to.id ?? null,
      toAddress: message.to.email,
      subject: message.subject,
      text: message.text,
      html: message.html,
      headers: JSON.stringify(message.headers ?? {}),
      nextAttemptAt: now,
      createdAt: now,
    },
  });
}

export const headersOf = (row: Pick<OutboxMessage, "headers">): OutboxHeaders => JSON.parse(row.headers);

/** Rows a worker may take now: due and waiting, or claimed by a worker whose lease ran out. */
const claimable = (now: Date) => ({
  OR: [
    { status: "waiting", nextAttemptAt: { lte: now } },
    { status: "sending", leaseUntil: { lt: now } },
  ],
});

/**
 * Takes up to `limit` due rows for `owner` until the lease ends. Each row is taken by a
 * conditional update, so of several workers on one database exactly one gets it; each claim
 * counts as an attempt, so a message that kills its worker every time is given up on too.
 */
export async function claim(deps: Deps, owner: string, limit: number): Promise<OutboxMessage[]> {
  const now = deps.clock.now();
  const { db } = deps;
  const due = await db.outboxMessage.findMany({
    where: claimable(now),
    orderBy: { id: "asc" },
    take: limit,
    select: { id: true },
  });
  const leaseUntil = new Date(now.getTime() + deps.config.mail.leaseMs);
  const taken: number[] = [];
  for (const { id } of due) {
    const { count } = await db.outboxMessage.updateMany({
      where: { id, ...claimable(now) },
      data: { status: "sending", leaseOwner: owner, leaseUntil, attempts: { increment: 1 } },
    });
    if (count) taken.push(id);
  }
  if (!taken.length) return [];
  return db.outboxMessage.findMany({ where: { id: { in: taken } }, orderBy: { id: "asc" } });
}

/** Only the holder of a row's lease writes its outcome. */
const held = (id: number, owner: string) => ({ id, status: "sending", leaseOwner: owner });
const released = { leaseOwner: null, leaseUntil: null };

/** Messages whose text is a key (a sign-in or reset link): not kept once sent. */
const SECRET_KINDS = ["signin_link", "reset_link"];
const REMOVED = "(The link in this message is not kept once the message is sent.)";

export async function markSent(deps: Deps, row: OutboxMessage, owner: string, status: "sent" | "kept" = "sent") {
  const forget = status === "sent" && SECRET_KINDS.includes(row.kind) ? { text: REMOVED, html: REMOVED } : {};
  await deps.db.outboxMessage.updateMany({
    where: held(row.id, owner),
    data: { status, sentAt: deps.clock.now(), lastError: null, ...released, ...forget },
  });
}

/**
 * A failed try: a transient failure waits to be tried again, each wait twice the one before
 * (with jitter, so many failed messages do not come back at once), until the attempts run out;
 * a permanent one (a 5xx answer) is given up at once. The error is kept for the outbox page.
 */
export async function markFailed(deps: Deps, row: OutboxMessage, owner: string, error: string, permanent: boolean) {
  const { maxAttempts, retryMs } = deps.config.mail;
  const giveUp = permanent || row.attempts >= maxAttempts;
  const delay = Math.min(retryMs * 2 ** (row.attempts - 1), 6 * 3_600_000) * (0.5 + Math.random());
  await deps.db.outboxMessage.updateMany({
    where: held(row.id, owner),
    data: {
      status: giveUp ? "failed" : "waiting",
      lastError: error.slice(0, 1000),
      nextAttemptAt: new Date(deps.clock.now().getTime() + (giveUp ? 0 : delay)),
      ...released,
    },
  });
}

/** Gives back rows a stopping worker holds but did not try: not counted as attempts. */
export async function release(deps: Deps, owner: string, ids: number[]): Promise<number> {
  if (!ids.length) return 0;
  const { count } = await deps.db.outboxMessage.updateMany({
    where: { id: { in: ids }, status: "sending", leaseOwner: owner },
    data: { status: "waiting", attempts: { decrement: 1 }, ...released },
  });
  return count;
}

/** An admin's "try again" on a failed message: due now, with a fresh count of attempts. */
export async function tryAgain(db: Db, id: number, now: Date): Promise<boolean> {
  const { count } = await db.outboxMessage.updateMany({
    where: { id, status: "failed" },
    data: { status: "waiting", attempts: 0, nextAttemptAt: now },
  });
  return count > 0;
}

/** How many messages are in each status. */
export async function outboxCounts(db: Db): Promise<Record<OutboxStatus, number>> {
  const groups = await db.outboxMessage.groupBy({ by: ["status"], _count: { _all: true } });
  const counts = Object.fromEntries(OUTBOX_STATUSES.map((s) => [s, 0])) as Record<OutboxStatus, number>;
  for (const g of groups) counts[g.status as OutboxStatus] = g._count._all;
  return counts;
}

export const OUTBOX_PAGE = 50;

/** A page of the outbox, newest first, keyset by id; `before` is the last id of the previous page. */
export function outboxPage(db: Db, status: OutboxStatus | undefined, before: number | undefined) {
  return db.outboxMessage.findMany({
    where: { ...(status ? { status } : {}), ...(before ? { id: { lt: before } } : {}) },
    orderBy: { id: "desc" },
    take: OUTBOX_PAGE + 1,
  });
}
