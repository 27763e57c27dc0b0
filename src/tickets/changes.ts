import type { Tx } from "../db/prisma.js";
import type { CurrentUser, Deps } from "../env.js";
import { activeStaffWhere } from "../users/people.js";
import { type ChangeEvent, recordChange, type TicketChange } from "./events.js";
import { type Priority, type Status, statusData } from "./model.js";
import { DEFAULT_OF, type Statuses, statusesOf } from "./statuses.js";

// Every change to a ticket's fields goes through changeFields: it checks the transition, then
// writes the change, its history and what the subscribers add in one transaction, at the injected
// clock's time. The named changes (status, priority, assignee, close, reopen) are one line over it.

export type Actor = Pick<CurrentUser, "id">;
/** The ticket as the person saw it; `version` is what their form carried (none: apply regardless). */
export type Seen = {
  id: number;
  status: string;
  priority: string;
  assigneeId: number | null;
  requesterId: number;
  assignee?: { name: string } | null;
};
export type Outcome = "done" | "unchanged" | "stale";
export type Field = "status" | "priority" | "assignee";
/** The fields a change asks for; a field left out stays as it is. */
export type Wanted = { status?: Status; priority?: Priority; assigneeId?: number | null };

class Stale extends Error {}

/**
 * Writes one change, if the ticket is still at the version the person saw: the row, then `also`
 * (a reply, its files), then the history and the subscribers. Throws what `also` throws.
 */
export async function writeChange(
  deps: Deps,
  ticket: Pick<Seen, "id">,
  version: number | undefined,
  data: Record<string, unknown>,
  change: Omit<TicketChange, "ticketId">,
  also?: (tx: Tx, now: Date) => Promise<void>,
): Promise<Outcome> {
  const now = deps.clock.now();
  try {
    await deps.db.$transaction(async (tx) => {
      const where = { id: ticket.id, ...(version !== undefined ? { version } : {}) };
      const written = await tx.ticket.updateMany({
        where,
        data: { ...data, updatedAt: now, version: { increment: 1 } },
      });
      if (written.count === 0) throw new Stale();
      // The ticket row is written first, so two changes to one ticket take turns from here on.
      if (also) await also(tx, now);
      await recordChange(deps, tx, { ticketId: ticket.id, ...change }, now);
    });
  } catch (error) {
    if (error instanceof Stale) return "stale";
    throw error;
  }
  return "done";
}

/** The row's new fields and their history events, for the fields that differ from what was seen. */
export function fieldChanges(
  ticket: Seen,
  wanted: Wanted,
  assignee: { id: number; name: string } | null,
  now: Date,
  statuses: Statuses,
): { data: Record<string, unknown>; events: ChangeEvent[]; changed: Field[] } {
  const data: Record<string, unknown> = {};
  const events: ChangeEvent[] = [];
  const changed: Field[] = [];
  if (wanted.status !== undefined && wanted.status !== ticket.status) {
    Object.assign(data, statusData(wanted.status, ticket.status, now, statuses));
    events.push({ kind: "status", fromValue: ticket.status, toValue: wanted.status });
    changed.push("status");
  }
  if (wanted.priority !== undefined && wanted.priority !== ticket.priority) {
    data.priority = wanted.priority;
    events.push({ kind: "priority", fromValue: ticket.priority, toValue: wanted.priority });
    changed.push("priority");
  }
  if (wanted.assigneeId !== undefined && (assignee?.id ?? null) !== ticket.assigneeId) {
    data.assigneeId = assignee?.id ?? null;
    events.push({ kind: "assignee", fromValue: ticket.assignee?.name ?? null, toValue: assignee?.name ?? null });
    changed.push("assignee");
  }
  return { data, events, changed };
}

/** An active agent or admin by id; null for nobody (and for anyone who cannot take tickets). */
export const staffMember = (deps: Deps, id: number) =>
  deps.db.user.findFirst({ where: { id, ...activeStaffWhere }, select: { id: true, name: true } });

export type FieldsResult = {
  outcome: Outcome | "not staff";
  changed: Field[];
  assignee: { id: number; name: string } | null;
};

/**
 * Status, priority and assignee in one save, one transaction, one history event per field that
 * changed. "not staff" when the assignee named cannot take tickets; the fields that changed come
 * back for the message.
 */
export async function changeFields(
  deps: Deps,
  actor: Actor,
  ticket: Seen,
  wanted: Wanted,
  version?: number,
): Promise<FieldsResult> {
  const id = wanted.assigneeId;
  const assignee = id == null ? null : await staffMember(deps, id);
  if (id !== undefined && id !== null && !assignee) return { outcome: "not staff", changed: [], assignee: null };
  const statuses = await statusesOf(deps);
  const { data, events, changed } = fieldChanges(ticket, wanted, assignee, deps.clock.now(), statuses);
  if (!events.length) return { outcome: "unchanged", changed, assignee };
  const outcome = await writeChange(deps, ticket, version, data, { actorId: actor.id, events });
  return { outcome, changed, assignee };
}

const outcomeOf = async (result: Promise<FieldsResult>) => (await result).outcome as Outcome;

/** Sets the status (closing stamps closedAt); unchanged if it already is. */
export const setStatus = (deps: Deps, actor: Actor, ticket: Seen, status: Status, version?: number) =>
  outcomeOf(changeFields(deps, actor, ticket, { status }, version));

export const setPriority = (deps: Deps, actor: Actor, ticket: Seen, priority: Priority, version?: number) =>
  outcomeOf(changeFields(deps, actor, ticket, { priority }, version));

/** Assigns the ticket to an active agent or admin, or to nobody (null). */
export const setAssignee = (deps: Deps, actor: Actor, ticket: Seen, assigneeId: number | null, version?: number) =>
  changeFields(deps, actor, ticket, { assigneeId }, version);

/** Closes the ticket: the requester's "solved", or staff finishing it; unchanged if it is closed already (in any closed status). */
export const closeTicket = async (deps: Deps, actor: Actor, ticket: Seen, version?: number): Promise<Outcome> =>
  (await statusesOf(deps)).isClosed(ticket.status)
    ? "unchanged"
    : setStatus(deps, actor, ticket, DEFAULT_OF.closed, version);

/** Reopens a closed ticket (any status of the closed kind); unchanged if it is not closed. */
export const reopenTicket = async (deps: Deps, actor: Actor, ticket: Seen, version?: number): Promise<Outcome> =>
  (await statusesOf(deps)).isClosed(ticket.status)
    ? setStatus(deps, actor, ticket, DEFAULT_OF.open, version)
    : "unchanged";
