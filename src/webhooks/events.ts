import type { Tx } from "../db/prisma.js";
import type { Deps } from "../env.js";
import type { TicketChange } from "../tickets/events.js";
import { statusesOf } from "../tickets/statuses.js";

// What a webhook tells: the event types an endpoint can ask for, and the message a ticket change
// makes of each (Standard Webhooks' shape: type, timestamp, data).

export const EVENT_TYPES = [
  "ticket.created",
  "ticket.replied",
  "ticket.note_added",
  "ticket.status_changed",
  "ticket.priority_changed",
  "ticket.assignee_changed",
  "ticket.tags_changed",
  "ticket.closed",
  "ticket.reopened",
  "ticket.merged",
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** What a new endpoint asks for unless its admin says otherwise: all but internal notes (opt-in). */
export const DEFAULT_EVENTS: readonly EventType[] = EVENT_TYPES.filter((t) => t !== "ticket.note_added");

/** The test message an admin sends from the endpoint's page; no endpoint subscribes to it. */
export const PING = "webhook.test";

export const isEventType = (s: string): s is EventType => (EVENT_TYPES as readonly string[]).includes(s);

/** The ticket as every message carries it: after the change. */
export type TicketSnapshot = {
  id: number;
  subject: string;
  status: string;
  priority: string;
  requesterId: number;
  assigneeId: number | null;
  version: number;
  tags: string[];
  createdAt: string;
  updatedAt: string;
  url: string;
};

export type Change<T = string | number | null> = { from: T; to: T };

/** The `data` of a message: the ticket, who did it, and what this event changed. */
export type EventData = {
  ticket: TicketSnapshot;
  actorId: number;
  changes?: Record<string, Change>;
  message?: { body: string; internal: boolean };
  tags?: { added: string[]; removed: string[] };
  mergedIntoId?: number;
};

export type Message = { type: EventType | typeof PING; timestamp: string; data: EventData | { test: true } };

/** The event types a change is, with each one's part of `data` (the ticket is added once for all). */
export async function eventsOf(
  deps: Deps,
  change: TicketChange,
): Promise<{ type: EventType; data: Omit<EventData, "ticket" | "actorId"> }[]> {
  const out: { type: EventType; data: Omit<EventData, "ticket" | "actorId"> }[] = [];
  const statuses = change.events.some((e) => e.kind === "status") ? await statusesOf(deps) : undefined;
  const added: string[] = [];
  const removed: string[] = [];
  for (const e of change.events) {
    const changes = { [e.kind]: { from: e.fromValue ?? null, to: e.toValue ?? null } };
    if (e.kind === "created") out.push({ type: "ticket.created", data: {} });
    else if (e.kind === "reply" || e.kind === "note")
      out.push({
        type: e.kind === "reply" ? "ticket.replied" : "ticket.note_added",
        data: { message: { body: change.body ?? "", internal: e.kind === "note" } },
      });
    else if (e.kind === "status") {
      out.push({ type: "ticket.status_changed", data: { changes } });
      const wasClosed = e.fromValue ? statuses!.isClosed(e.fromValue) : false;
      const isClosed = e.toValue ? statuses!.isClosed(e.toValue) : false;
      if (isClosed && !wasClosed) out.push({ type: "ticket.closed", data: { changes } });
      if (wasClosed && !isClosed) out.push({ type: "ticket.reopened", data: { changes } });
    } else if (e.kind === "priority") out.push({ type: "ticket.priority_changed", data: { changes } });
    // By name, as the history tells it; the ticket's assigneeId is the new one.
    else if (e.kind === "assignee") out.push({ type: "ticket.assignee_changed", data: { changes } });
    else if (e.kind === "tag" && e.toValue) added.push(e.toValue);
    else if (e.kind === "untag" && e.fromValue) removed.push(e.fromValue);
    else if (e.kind === "merged" && e.toValue)
      out.push({ type: "ticket.merged", data: { mergedIntoId: Number(e.toValue) } });
  }
  if (added.length || removed.length) out.push({ type: "ticket.tags_changed", data: { tags: { added, removed } } });
  return out;
}

/** The ticket after the change, read in its transaction. */
export async function snapshot(tx: Tx, ticketId: number, baseUrl: string): Promise<TicketSnapshot | undefined> {
  const t = await tx.ticket.findUnique({
    where: { id: ticketId },
    select: {
      id: true,
      subject: true,
      status: true,
      priority: true,
      requesterId: true,
      assigneeId: true,
      version: true,
      createdAt: true,
      updatedAt: true,
      tags: { select: { tag: { select: { name: true } } } },
    },
  });
  if (!t) return undefined;
  return {
    id: t.id,
    subject: t.subject,
    status: t.status,
    priority: t.priority,
    requesterId: t.requesterId,
    assigneeId: t.assigneeId,
    version: t.version,
    tags: t.tags.map((x) => x.tag.name).sort(),
    createdAt: t.createdAt.toISOString(),
    updatedAt: t.updatedAt.toISOString(),
    url: `${baseUrl}/tickets/${t.id}`,
  };
}
