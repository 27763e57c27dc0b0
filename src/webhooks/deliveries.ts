import { randomBytes } from "node:crypto";
import type { Db, WebhookDeliveryModel as Delivery, Tx } from "../db/prisma.js";
import type { Deps } from "../env.js";
import { mailLanguage, publicBase, webhookOffMessage } from "../mail/messages.js";
import { enqueue } from "../mail/outbox.js";
import type { ChangeSubscriber } from "../tickets/events.js";
import { eventsOf, type Message, PING, snapshot } from "./events.js";

// The webhooks' outbox: a delivery is a row written with the change it tells of; the worker
// (worker.ts) claims due rows with a lease, sends them and records what happened, like mail's.

export const DELIVERY_STATUSES = ["waiting", "sending", "delivered", "failed"] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/**
 * After the nth failed try, the wait before the next, in WEBHOOK_RETRY_SECONDS (5 s by default:
 * 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h, Standard Webhooks' schedule). After the last, the delivery fails.
 */
export const RETRY_STEPS = [1, 60, 360, 1440, 3600, 7200, 7200];
/** An endpoint whose deliveries have failed this long, with none going through, is turned off. */
export const FAILING_LIMIT_MS = 24 * 3_600_000;

export const newMessageId = () => `msg_${randomBytes(16).toString("base64url")}`;

const row = (endpointId: number, message: Message, ticketId: number | null, now: Date) => ({
  endpointId,
  messageId: newMessageId(),
  type: message.type,
  ticketId,
  payload: JSON.stringify(message),
  nextAttemptAt: now,
  createdAt: now,
});

/**
 * The change pipeline's webhook subscriber: for each event of the change, a delivery to each
 * endpoint that is on and asked for it, in the change's transaction. Nothing is sent here: the
 * change does not wait on any endpoint.
 */
export const webhookDeliveries: ChangeSubscriber = {
  name: "webhooks",
  async onChange(deps, tx, change, now) {
    const endpoints = (
      await tx.webhookEndpoint.findMany({ where: { enabled: true }, select: { id: true, events: true } })
    ).map((p) => ({ id: p.id, wants: new Set(p.events.split(" ")) }));
    if (!endpoints.length) return;
    const events = (await eventsOf(deps, change)).filter((e) => endpoints.some((p) => p.wants.has(e.type)));
    if (!events.length) return;
    const ticket = await snapshot(tx, change.ticketId, publicBase(deps.config));
    if (!ticket) return;
    const timestamp = now.toISOString();
    const rows = events.flatMap((e) =>
      endpoints
        .filter((p) => p.wants.has(e.type))
        .map((p) =>
          row(p.id, { type: e.type, timestamp, data: { ticket, actorId: change.actorId, ...e.data } }, ticket.id, now),
        ),
    );
    // One statement; its rows get ids in the order of the events, the order they are sent in.
    await tx.webhookDelivery.createMany({ data: rows });
  },
};

/** An admin's test message to one endpoint (on or off), sent like any other. */
export async function sendTest(db: Db, endpointId: number, now: Date): Promise<void> {
  await db.webhookDelivery.create({
    data: row(endpointId, { type: PING, timestamp: now.toISOString(), data: { test: true } }, null, now),
  });
}

/** Rows a worker may take now: due and waiting, or held by a worker whose lease ran out; for an endpoint that is on. */
const claimable = (now: Date) => ({
  endpoint: { enabled: true },
  OR: [
    { status: "waiting", nextAttemptAt: { lte: now } },
    { status: "sending", leaseUntil: { lt: now } },
  ],
});

/**
 * Takes up to `limit` due rows for `owner`. In order per endpoint and ticket: only the first row
 * still to be sent (waiting or sending) of each endpoint and ticket may be taken, so a ticket's
 * events reach each endpoint in the order they happened, across retries; and an endpoint whose
 * first row waits out a backoff (or hangs) holds back only its own rows, never another's. Each row
 * is taken by a conditional update: of several workers on one database exactly one gets it.
 */
export async function claim(deps: Deps, owner: string, limit: number, leaseMs: number): Promise<Delivery[]> {
  if (limit <= 0) return [];
  const now = deps.clock.now();
  const { db } = deps;
  // The first row to send of each endpoint and ticket (a test message has no ticket: they queue per endpoint).
  const heads = await db.webhookDelivery.groupBy({
    by: ["endpointId", "ticketId"],
    where: { status: { in: ["waiting", "sending"] }, endpoint: { enabled: true } },
    _min: { id: true },
  });
  const due = await db.webhookDelivery.findMany({
    where: { id: { in: heads.map((h) => h._min.id!) }, ...claimable(now) },
    orderBy: { id: "asc" },
    take: limit,
    select: { id: true },
  });
  const leaseUntil = new Date(now.getTime() + leaseMs);
  const taken: number[] = [];
  for (const d of due) {
    const { count } = await db.webhookDelivery.updateMany({
      where: { id: d.id, ...claimable(now) },
      data: { status: "sending", leaseOwner: owner, leaseUntil, attempts: { increment: 1 } },
    });
    if (count) taken.push(d.id);
  }
  if (!taken.length) return [];
  return db.webhookDelivery.findMany({ where: { id: { in: taken } }, orderBy: { id: "asc" } });
}

/**
 * After a delivery went: the next row of the same endpoint and ticket, taken at once if it is due
 * and now first in line, so a busy ticket's events follow each other without a round of claim()
 * (which groups every row still to send) per event.
 */
export async function claimNext(deps: Deps, owner: string, after: Delivery, leaseMs: number): Promise<Delivery | null> {
  if (after.ticketId === null) return null;
  const now = deps.clock.now();
  const chain = { endpointId: after.endpointId, ticketId: after.ticketId };
  const next = await deps.db.webhookDelivery.findFirst({
    where: { ...chain, status: { in: ["waiting", "sending"] } },
    orderBy: { id: "asc" },
  });
  if (!next || next.id < after.id) return null;
  const { count } = await deps.db.webhookDelivery.updateMany({
    where: { id: next.id, ...claimable(now) },
    data: {
      status: "sending",
      leaseOwner: owner,
      leaseUntil: new Date(now.getTime() + leaseMs),
      attempts: { increment: 1 },
    },
  });
  return count ? { ...next, status: "sending", leaseOwner: owner, attempts: next.attempts + 1 } : null;
}

const held = (id: number, owner: string) => ({ id, status: "sending", leaseOwner: owner });
const released = { leaseOwner: null, leaseUntil: null };
type Outcome = { status?: number; error?: string; ms: number };

export async function markDelivered(
  deps: Deps,
  d: Delivery,
  owner: string,
  outcome: Outcome,
  endpointFailing: boolean,
): Promise<void> {
  const now = deps.clock.now();
  await deps.db.webhookDelivery.updateMany({
    where: held(d.id, owner),
    data: {
      status: "delivered",
      deliveredAt: now,
      lastTriedAt: now,
      lastStatus: outcome.status ?? null,
      lastError: null,
      lastMs: outcome.ms,
      ...released,
    },
  });
  // Only when it was failing: an update that changes nothing still takes SQLite's write lock.
  if (endpointFailing)
    await deps.db.webhookEndpoint.updateMany({
      where: { id: d.endpointId, failingSince: { not: null } },
      data: { failingSince: null },
    });
}

/**
 * A failed try: tried again after the next step of RETRY_STEPS (with jitter, so many do not come
 * back at once), or failed for good after the last. The endpoint is marked failing from its first
 * failure; once it has failed for a day with nothing going through it is turned off and every
 * active admin is mailed, once (the update that turns it off is conditional).
 */
export async function markFailed(
  deps: Deps,
  d: Delivery,
  owner: string,
  outcome: Outcome,
): Promise<"retry" | "failed" | "off"> {
  const now = deps.clock.now();
  await deps.db.webhookEndpoint.updateMany({
    where: { id: d.endpointId, failingSince: null },
    data: { failingSince: now },
  });
  // Turned off now: this delivery waits with the rest for the endpoint to be on again.
  const off = await turnOffIfFailingForADay(deps, d.endpointId, now);
  const step = off ? 0 : RETRY_STEPS[d.attempts - 1];
  const delay = step === undefined ? 0 : deps.config.webhooks.retryMs * step * (0.8 + Math.random() * 0.4);
  await deps.db.webhookDelivery.updateMany({
    where: held(d.id, owner),
    data: {
      status: step === undefined ? "failed" : "waiting",
      ...(off ? { attempts: 0 } : {}),
      nextAttemptAt: new Date(now.getTime() + delay),
      lastTriedAt: now,
      lastStatus: outcome.status ?? null,
      lastError: (outcome.error ?? "failed").slice(0, 500),
      lastMs: outcome.ms,
      ...released,
    },
  });
  return off ? "off" : step === undefined ? "failed" : "retry";
}

/** Whether this failure turned the endpoint off (it has failed for a day); if so, its admins are mailed. */
async function turnOffIfFailingForADay(deps: Deps, endpointId: number, now: Date): Promise<boolean> {
  const since = new Date(now.getTime() - FAILING_LIMIT_MS);
  const off = await deps.db.$transaction(async (tx: Tx) => {
    const { count } = await tx.webhookEndpoint.updateMany({
      where: { id: endpointId, enabled: true, failingSince: { lte: since } },
      data: { enabled: false, offReason: "failing" },
    });
    if (!count) return false;
    const endpoint = await tx.webhookEndpoint.findUniqueOrThrow({ where: { id: endpointId } });
    const admins = await tx.user.findMany({
      where: { role: "admin", disabledAt: null },
      select: { id: true, email: true, name: true, language: true },
    });
    const url = `${publicBase(deps.config)}/admin/webhooks/${endpointId}`;
    for (const admin of admins) {
      const message = webhookOffMessage(deps.config, mailLanguage(deps.config, admin), admin.name, endpoint.url, url);
      await enqueue(deps, tx, { ...message, kind: "webhook_off", to: admin }, now);
    }
    return true;
  });
  if (off) deps.log({ level: "warn", msg: "webhook endpoint failing for a day: turned off", endpoint: endpointId });
  return off;
}

/** Gives back rows a stopping worker holds but did not try: not counted as attempts. */
export async function release(db: Db, owner: string, ids: number[]): Promise<void> {
  if (!ids.length) return;
  await db.webhookDelivery.updateMany({
    where: { id: { in: ids }, status: "sending", leaseOwner: owner },
    data: { status: "waiting", attempts: { decrement: 1 }, ...released },
  });
}

/** "Send again": the same message (same webhook-id) due now, with a fresh count of tries. */
export async function sendAgain(db: Db, endpointId: number, id: number, now: Date): Promise<boolean> {
  const { count } = await db.webhookDelivery.updateMany({
    where: { id, endpointId, status: { in: ["delivered", "failed"] } },
    data: { status: "waiting", attempts: 0, nextAttemptAt: now },
  });
  return count > 0;
}

export const DELIVERY_PAGE = 30;

/** A page of an endpoint's deliveries, newest first, keyset by id (`before`: the last id shown). */
export function deliveryPage(db: Db, endpointId: number, before: number | undefined) {
  return db.webhookDelivery.findMany({
    where: { endpointId, ...(before ? { id: { lt: before } } : {}) },
    orderBy: { id: "desc" },
    take: DELIVERY_PAGE + 1,
    select: {
      id: true,
      messageId: true,
      type: true,
      ticketId: true,
      status: true,
      attempts: true,
      nextAttemptAt: true,
      lastStatus: true,
      lastError: true,
      lastMs: true,
      lastTriedAt: true,
      createdAt: true,
    },
  });
}
export type DeliveryRow = Awaited<ReturnType<typeof deliveryPage>>[number];
