import { randomBytes } from "node:crypto";
import type { Db } from "../db/prisma.js";
import type { Deps } from "../env.js";
import { checkHost } from "./address.js";
import { type EventType, isEventType } from "./events.js";

// The endpoints admins register (/admin/webhooks): checked, made with a secret shown once, changed,
// turned on and off, removed.

export const URL_MAX = 500;
export const DESCRIPTION_MAX = 200;
export const ENDPOINTS_MAX = 20;

/** A Standard Webhooks secret: whsec_ and 24 random bytes in base64. */
export const newSecret = () => `whsec_${randomBytes(24).toString("base64")}`;

export type EndpointInput = { url: string; description: string; events: string[]; enabled?: boolean };
export type EndpointError =
  | "webhooks.urlMissing"
  | "webhooks.urlLong"
  | "webhooks.urlInvalid"
  | "webhooks.urlCredentials"
  | "webhooks.urlRefused"
  | "webhooks.urlUnknown"
  | "webhooks.descriptionLong"
  | "webhooks.eventsMissing";
export type EndpointErrors = Partial<Record<"url" | "description" | "events", { key: EndpointError; range?: string }>>;

/** The input checked, with its events in the catalogue's order; or what is wrong, by field. */
export async function checkEndpoint(
  deps: Deps,
  input: EndpointInput,
): Promise<{ url: string; description: string; events: EventType[] } | { errors: EndpointErrors }> {
  const errors: EndpointErrors = {};
  const typed = input.url.trim();
  let url: URL | undefined;
  if (!typed) errors.url = { key: "webhooks.urlMissing" };
  else if (typed.length > URL_MAX) errors.url = { key: "webhooks.urlLong" };
  else {
    try {
      url = new URL(typed);
    } catch {}
    if (!url || !["http:", "https:"].includes(url.protocol)) errors.url = { key: "webhooks.urlInvalid" };
    else if (url.username || url.password) errors.url = { key: "webhooks.urlCredentials" };
    else {
      const refused = await checkHost(url, deps.config.webhooks.allowPrivate);
      if (refused === "unknown") errors.url = { key: "webhooks.urlUnknown" };
      else if (refused) errors.url = { key: "webhooks.urlRefused", range: refused.range };
    }
  }
  const description = input.description.trim();
  if (description.length > DESCRIPTION_MAX) errors.description = { key: "webhooks.descriptionLong" };
  const events = input.events.filter(isEventType);
  if (!events.length) errors.events = { key: "webhooks.eventsMissing" };
  if (Object.keys(errors).length) return { errors };
  return { url: url!.href, description, events: [...new Set(events)] };
}

export type EndpointRow = Awaited<ReturnType<typeof listEndpoints>>[number];

/** What the admin pages show of an endpoint: everything but its secret. */
const SHOWN = {
  id: true,
  url: true,
  description: true,
  events: true,
  enabled: true,
  failingSince: true,
  offReason: true,
  createdAt: true,
} as const;

/** Every endpoint with how its deliveries stand, oldest first. */
export async function listEndpoints(db: Db) {
  const [endpoints, counts] = await Promise.all([
    db.webhookEndpoint.findMany({
      orderBy: { id: "asc" },
      select: SHOWN,
    }),
    db.webhookDelivery.groupBy({
      by: ["endpointId", "status"],
      where: { status: { in: ["waiting", "failed"] } },
      _count: { _all: true },
    }),
  ]);
  const count = (id: number, status: string) =>
    counts.find((c) => c.endpointId === id && c.status === status)?._count._all ?? 0;
  return endpoints.map((e) => ({
    ...e,
    events: e.events.split(" ").filter(isEventType),
    waiting: count(e.id, "waiting"),
    failed: count(e.id, "failed"),
  }));
}

export const findEndpoint = (db: Db, id: number) =>
  db.webhookEndpoint.findUnique({
    where: { id },
    select: SHOWN,
  });

/** A new endpoint, on; its secret is in the answer and nowhere to read again. "full": ENDPOINTS_MAX reached. */
export async function createEndpoint(
  db: Db,
  actorId: number,
  value: { url: string; description: string; events: EventType[] },
): Promise<{ id: number; secret: string } | "full"> {
  if ((await db.webhookEndpoint.count()) >= ENDPOINTS_MAX) return "full";
  const secret = newSecret();
  const { id } = await db.webhookEndpoint.create({
    data: { ...value, events: value.events.join(" "), secret, createdById: actorId },
  });
  return { id, secret };
}

/**
 * Changes an endpoint. Turning it on again clears the failing mark and makes what waited for it
 * due now (in its order); turning it off keeps its deliveries waiting for when it is on again.
 */
export async function updateEndpoint(
  db: Db,
  id: number,
  value: { url: string; description: string; events: EventType[]; enabled: boolean },
  now: Date,
): Promise<boolean> {
  return db.$transaction(async (tx) => {
    const before = await tx.webhookEndpoint.findUnique({ where: { id }, select: { enabled: true } });
    if (!before) return false;
    const turnedOn = value.enabled && !before.enabled;
    await tx.webhookEndpoint.update({
      where: { id },
      data: {
        ...value,
        events: value.events.join(" "),
        ...(turnedOn ? { failingSince: null, offReason: null } : {}),
        ...(!value.enabled && before.enabled ? { offReason: "admin" } : {}),
      },
    });
    if (turnedOn)
      await tx.webhookDelivery.updateMany({
        where: { endpointId: id, status: "waiting" },
        data: { nextAttemptAt: now },
      });
    return true;
  });
}

/** A new secret for the endpoint (the old one stops at once); the answer is the only place it is shown. */
export async function rotateSecret(db: Db, id: number): Promise<string | undefined> {
  const secret = newSecret();
  const { count } = await db.webhookEndpoint.updateMany({ where: { id }, data: { secret } });
  return count ? secret : undefined;
}

/** Removes the endpoint and its deliveries' log. */
export async function deleteEndpoint(db: Db, id: number): Promise<boolean> {
  const { count } = await db.webhookEndpoint.deleteMany({ where: { id } });
  return count > 0;
}
