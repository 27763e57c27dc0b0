import type { Tx } from "../db/prisma.js";
import type { CurrentUser, Deps } from "../env.js";
import type { Prisma } from "../generated/sqlite/client.js";
import { isStaff } from "../users/authorization.js";

// Seeing others' work: what other people did on a ticket since a page showed it. A reply form
// carries the last history event its page showed (`seen`); a public reply sent from it while
// someone else has since answered or changed the ticket is held (thread.ts), and the page says what
// is new. JS on, the ticket page asks for the count of such news once a minute.

/** What matters to someone writing a reply: what was said, and the fields a reply depends on. */
const STAFF_NEWS = ["reply", "note", "status", "priority", "assignee"];
/** A requester hears of the desk's answers and of their ticket moving (what their history shows). */
const REQUESTER_NEWS = ["reply", "status"];

type Viewer = Pick<CurrentUser, "id" | "role">;

/** History events by other people after `seen` that this viewer may see and would want to read first. */
export function newsWhere(viewer: Viewer, ticketId: number, seen: number): Prisma.TicketEventWhereInput {
  const staff = isStaff(viewer);
  return {
    ticketId,
    id: { gt: seen },
    actorId: { not: viewer.id },
    kind: { in: staff ? STAFF_NEWS : REQUESTER_NEWS },
    ...(staff ? {} : { internal: false }),
  };
}

/** Whether there is news since `seen`, read inside a change's transaction (after its ticket row is written, so in turn). */
export const hasNews = async (tx: Tx, viewer: Viewer, ticketId: number, seen: number) =>
  (await tx.ticketEvent.findFirst({ where: newsWhere(viewer, ticketId, seen), select: { id: true } })) !== null;

/** One person's change is one update however many lines of history it made (a reply that also assigned). */
const changesIn = (events: { actorId: number; createdAt: Date }[]) =>
  new Set(events.map((e) => `${e.actorId}@${e.createdAt.getTime()}`)).size;

/** How many changes by others since `seen` (the polled "N new updates"), reading at most `cap` events. */
export const countNews = async (deps: Deps, viewer: Viewer, ticketId: number, seen: number, cap = 200) =>
  changesIn(
    await deps.db.ticketEvent.findMany({
      where: newsWhere(viewer, ticketId, seen),
      select: { actorId: true, createdAt: true },
      take: cap,
    }),
  );

/** The news events of a ticket whose events the page already read: the same rule, no query. */
export function newsOf<E extends { id: number; actorId: number; kind: string; internal: boolean }>(
  viewer: Viewer,
  events: E[],
  seen: number,
): E[] {
  const staff = isStaff(viewer);
  const kinds = staff ? STAFF_NEWS : REQUESTER_NEWS;
  return events.filter(
    (e) => e.id > seen && e.actorId !== viewer.id && kinds.includes(e.kind) && (staff || !e.internal),
  );
}

/** How many updates a list of news events makes (one per change). */
export const updatesIn = changesIn;

/** The last history event a page shows: what its reply form says it has seen. */
export const lastSeen = (events: { id: number }[]) => events.reduce((max, e) => Math.max(max, e.id), 0);
