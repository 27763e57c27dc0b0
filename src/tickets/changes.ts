import { randomBytes } from "node:crypto";
import { filesInWords, saveFiles, type Upload } from "../attachments/files.js";
import type { Tx } from "../db/prisma.js";
import type { CurrentUser, Deps } from "../env.js";
import { activeStaffWhere } from "../users/people.js";
import { recordChange, type TicketChange } from "./events.js";
import { recentTwin } from "./find.js";
import { type Priority, type Status, statusData } from "./model.js";

// Every change to a ticket is one function here: it checks the transition, then writes the change,
// its history and whatever goes with it in one transaction, at the injected clock's time.

type Actor = Pick<CurrentUser, "id">;
/** The ticket as the person saw it; `version` is what their form carried (none: apply regardless). */
type Seen = { id: number; status: string; priority: string; assigneeId: number | null; requesterId: number };
export type Outcome = "done" | "unchanged" | "stale";

class Stale extends Error {}

/** Writes one change, if the ticket is still at the version the person saw, with its events. */
async function change(
  deps: Deps,
  ticket: Seen,
  version: number | undefined,
  data: (now: Date) => Record<string, unknown>,
  events: Omit<TicketChange, "ticketId">[],
  also?: (tx: Tx, now: Date) => Promise<void>,
): Promise<Outcome> {
  const now = deps.clock.now();
  try {
    await deps.db.$transaction(async (tx) => {
      const where = { id: ticket.id, ...(version !== undefined ? { version } : {}) };
      const written = await tx.ticket.updateMany({
        where,
        data: { ...data(now), updatedAt: now, version: { increment: 1 } },
      });
      if (written.count === 0) throw new Stale();
      // The ticket row is written first, so two changes to one ticket take turns from here on.
      if (also) await also(tx, now);
      for (const event of events) await recordChange(deps, tx, { ticketId: ticket.id, ...event }, now);
    });
  } catch (error) {
    if (error instanceof Stale) return "stale";
    throw error;
  }
  return "done";
}

/** The one-time token a new-ticket form carries, so sending it twice opens one ticket. */
export const newFormToken = () => randomBytes(18).toString("base64url");

/**
 * Opens a ticket once per form token: a second submission of the same form (double click,
 * refresh, retry) returns the first ticket instead of making another. With `askIfRepeated`, a new
 * form with the same text as a ticket opened a moment ago makes nothing and returns that `twin`.
 */
export async function openTicket(
  deps: Deps,
  requester: Actor,
  input: { subject: string; description: string; priority: Priority },
  formToken: string | undefined,
  extra: Extra = {},
): Promise<{ id: number; duplicate: boolean; twin?: { id: number; createdAt: Date } }> {
  const { db } = deps;
  const earlier = async () =>
    formToken
      ? await db.formToken.findFirst({ where: { token: formToken, userId: requester.id, ticketId: { not: null } } })
      : null;
  const seen = await earlier();
  if (seen?.ticketId) return { id: seen.ticketId, duplicate: true };
  if (extra.askIfRepeated) {
    const twin = await recentTwin(deps, requester.id, input);
    if (twin) return { id: twin.id, duplicate: false, twin };
  }
  const now = deps.clock.now();
  try {
    const id = await db.$transaction(async (tx) => {
      const ticket = await tx.ticket.create({
        data: { ...input, ...extra.ticket, requesterId: requester.id, createdAt: now, updatedAt: now },
      });
      // First what came with it (its files, the record of the email that opened it), so its
      // receipt can answer that email and name the files.
      if (extra.files?.length) await saveFiles(tx, extra.files, { ticketId: ticket.id, replyId: null }, now);
      await extra.also?.(tx, ticket.id);
      await recordChange(
        deps,
        tx,
        {
          ticketId: ticket.id,
          actorId: requester.id,
          kind: "created",
          toValue: input.priority,
          files: filesInWords(extra.files),
        },
        now,
      );
      if (formToken)
        await tx.formToken.create({
          data: { token: formToken, userId: requester.id, ticketId: ticket.id, createdAt: now },
        });
      return ticket.id;
    });
    return { id, duplicate: false };
  } catch (error) {
    // Two submissions raced: the unique token rolled this one back; answer with the winner.
    const winner = (error as { code?: string }).code === "P2002" ? await earlier() : null;
    if (winner?.ticketId) return { id: winner.ticketId, duplicate: true };
    throw error;
  }
}

/** Sets the status (closing stamps closedAt); unchanged if it already is. */
export function setStatus(deps: Deps, actor: Actor, ticket: Seen, status: Status, version?: number): Promise<Outcome> {
  if (ticket.status === status) return Promise.resolve("unchanged");
  const event = { actorId: actor.id, kind: "status", fromValue: ticket.status, toValue: status };
  return change(deps, ticket, version, (now) => statusData(status, now), [event]);
}

/** Closes the ticket: the requester's "solved", or staff finishing it. */
export const closeTicket = (deps: Deps, actor: Actor, ticket: Seen, version?: number) =>
  setStatus(deps, actor, ticket, "Closed", version);

/** Reopens a closed ticket; unchanged if it is not closed. */
export const reopenTicket = (deps: Deps, actor: Actor, ticket: Seen, version?: number): Promise<Outcome> =>
  ticket.status === "Closed" ? setStatus(deps, actor, ticket, "Open", version) : Promise.resolve("unchanged");

export function setPriority(
  deps: Deps,
  actor: Actor,
  ticket: Seen,
  priority: Priority,
  version?: number,
): Promise<Outcome> {
  if (ticket.priority === priority) return Promise.resolve("unchanged");
  const event = { actorId: actor.id, kind: "priority", fromValue: ticket.priority, toValue: priority };
  return change(deps, ticket, version, () => ({ priority }), [event]);
}

/**
 * Assigns the ticket to an active agent or admin, or to nobody (null). "not staff" when the
 * person named cannot take tickets; the assignee's name comes back for the message.
 */
export async function setAssignee(
  deps: Deps,
  actor: Actor,
  ticket: Seen & { assignee: { name: string } | null },
  assigneeId: number | null,
  version?: number,
): Promise<{ outcome: Outcome | "not staff"; assignee: { id: number; name: string } | null }> {
  const select = { id: true, name: true };
  const to =
    assigneeId === null
      ? null
      : await deps.db.user.findFirst({ where: { id: assigneeId, ...activeStaffWhere }, select });
  if (assigneeId !== null && !to) return { outcome: "not staff", assignee: null };
  if (ticket.assigneeId === (to?.id ?? null)) return { outcome: "unchanged", assignee: to };
  const event = {
    actorId: actor.id,
    kind: "assignee",
    fromValue: ticket.assignee?.name ?? null,
    toValue: to?.name ?? null,
  };
  return {
    outcome: await change(deps, ticket, version, () => ({ assigneeId: to?.id ?? null }), [event]),
    assignee: to,
  };
}

/** How long the same text from the same person on the same ticket counts as one message sent twice. */
const REPEAT_WINDOW_MS = 60_000;
class Repeated extends Error {}

/**
 * What a caller outside the web forms adds to a change: the whole email a reply came in (before
 * its quoted history was cut), and a write of its own in the change's transaction (the record of
 * an incoming email, so a message taken twice makes one change).
 */
export type Extra = {
  emailText?: string;
  also?: (tx: Tx, ticketId: number) => Promise<void>;
  /** A new form (not one sent twice) with the text of a ticket opened a moment ago: make nothing, name it. */
  askIfRepeated?: boolean;
  /** Checked files (attachments/files.ts), saved with the ticket or reply in its transaction. */
  files?: Upload[];
  /** A ticket opened without an account: marked guest, with the HMAC of its access code. */
  ticket?: { guest: true; accessCode: string };
};

/** A reply or a note: posted once even when sent twice (double click, refresh, retry on a slow link). */
async function addToThread(
  deps: Deps,
  author: Actor,
  ticket: Seen,
  body: string,
  internal: boolean,
  reopens: boolean,
  extra: Extra = {},
) {
  const kind = internal ? "note" : "reply";
  const events: Omit<TicketChange, "ticketId">[] = [
    { actorId: author.id, kind, internal, body, files: filesInWords(extra.files) },
  ];
  if (reopens) events.push({ actorId: author.id, kind: "status", fromValue: "Closed", toValue: "Open" });
  let replyId = 0;
  try {
    await change(
      deps,
      ticket,
      undefined,
      (now) => (reopens ? statusData("Open", now) : {}),
      events,
      async (tx, now) => {
        const since = new Date(now.getTime() - REPEAT_WINDOW_MS);
        const same = { ticketId: ticket.id, authorId: author.id, internal, body, createdAt: { gte: since } };
        if (await tx.reply.findFirst({ where: same, select: { id: true } })) throw new Repeated();
        const emailText = extra.emailText ?? null;
        replyId = (
          await tx.reply.create({
            data: { ticketId: ticket.id, authorId: author.id, body, internal, emailText, createdAt: now },
          })
        ).id;
        if (extra.files?.length) await saveFiles(tx, extra.files, { ticketId: ticket.id, replyId }, now);
        await extra.also?.(tx, ticket.id);
      },
    );
  } catch (error) {
    if (error instanceof Repeated) return { replyId: null, reopened: false };
    throw error;
  }
  return { replyId, reopened: reopens };
}

/**
 * A public reply. The requester answering their closed ticket means the problem is back, so it
 * reopens. `replyId` is null when the same reply was just posted.
 */
export const addReply = (deps: Deps, author: Actor, ticket: Seen, body: string, extra?: Extra) =>
  addToThread(deps, author, ticket, body, false, ticket.status === "Closed" && ticket.requesterId === author.id, extra);

/** An internal note, for staff only. */
export const addNote = (deps: Deps, author: Actor, ticket: Seen, body: string, extra?: Extra) =>
  addToThread(deps, author, ticket, body, true, false, extra);

/**
 * The triage form: status, priority and assignee in one save, one transaction, one history event
 * per field that changed. "not staff" when the assignee named cannot take tickets; the names of
 * the fields that changed come back for the message.
 */
export async function triage(
  deps: Deps,
  actor: Actor,
  ticket: Seen & { assignee: { name: string } | null },
  wanted: { status: Status; priority: Priority; assigneeId: number | null },
  version?: number,
): Promise<{ outcome: Outcome | "not staff"; changed: string[]; assignee: { id: number; name: string } | null }> {
  const select = { id: true, name: true };
  const to =
    wanted.assigneeId === null
      ? null
      : await deps.db.user.findFirst({ where: { id: wanted.assigneeId, ...activeStaffWhere }, select });
  if (wanted.assigneeId !== null && !to) return { outcome: "not staff", changed: [], assignee: null };
  const events: Omit<TicketChange, "ticketId">[] = [];
  const data: ((now: Date) => Record<string, unknown>)[] = [];
  const changed: string[] = [];
  if (wanted.status !== ticket.status) {
    events.push({ actorId: actor.id, kind: "status", fromValue: ticket.status, toValue: wanted.status });
    data.push((now) => statusData(wanted.status, now));
    changed.push("status");
  }
  if (wanted.priority !== ticket.priority) {
    events.push({ actorId: actor.id, kind: "priority", fromValue: ticket.priority, toValue: wanted.priority });
    data.push(() => ({ priority: wanted.priority }));
    changed.push("priority");
  }
  if ((to?.id ?? null) !== ticket.assigneeId) {
    const names = { fromValue: ticket.assignee?.name ?? null, toValue: to?.name ?? null };
    events.push({ actorId: actor.id, kind: "assignee", ...names });
    data.push(() => ({ assigneeId: to?.id ?? null }));
    changed.push("assignee");
  }
  if (!events.length) return { outcome: "unchanged", changed, assignee: to };
  const outcome = await change(deps, ticket, version, (now) => Object.assign({}, ...data.map((d) => d(now))), events);
  return { outcome, changed, assignee: to };
}
