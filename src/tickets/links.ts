import type { Tx } from "../db/prisma.js";
import type { Deps } from "../env.js";
import type { Actor } from "./changes.js";
import { recordChange } from "./events.js";

// Related tickets: a link is one row for the pair (the lower number first), shown on both tickets'
// pages for staff, and said in both histories (as staff-only lines: a requester never learns of
// another's ticket this way).

export type LinkOutcome = "done" | "unchanged" | "missing" | "self";

const pair = (a: number, b: number) => (a < b ? { fromId: a, toId: b } : { fromId: b, toId: a });

/** Both histories, in the link's own transaction. */
async function recordBoth(deps: Deps, tx: Tx, actor: Actor, kind: "link" | "unlink", a: number, b: number, now: Date) {
  for (const [one, other] of [
    [a, b],
    [b, a],
  ] as const)
    await recordChange(
      deps,
      tx,
      { ticketId: one, actorId: actor.id, events: [{ kind, toValue: String(other), internal: true }] },
      now,
    );
}

/** Links ticket `id` with ticket `other`: "unchanged" when they are linked already. */
export async function linkTickets(deps: Deps, actor: Actor, id: number, other: number): Promise<LinkOutcome> {
  if (id === other) return "self";
  const now = deps.clock.now();
  return deps.db.$transaction(async (tx) => {
    const found = await tx.ticket.count({ where: { id: { in: [id, other] } } });
    if (found < 2) return "missing";
    const where = pair(id, other);
    if (await tx.ticketLink.findFirst({ where, select: { id: true } })) return "unchanged";
    try {
      await tx.ticketLink.create({ data: { ...where, createdById: actor.id, createdAt: now } });
    } catch (error) {
      // Linked by someone else at the same moment.
      if ((error as { code?: string }).code === "P2002") return "unchanged";
      throw error;
    }
    await recordBoth(deps, tx, actor, "link", id, other, now);
    return "done";
  });
}

/** Removes the link between two tickets: "unchanged" when there was none. */
export async function unlinkTickets(deps: Deps, actor: Actor, id: number, other: number): Promise<LinkOutcome> {
  const now = deps.clock.now();
  return deps.db.$transaction(async (tx) => {
    const removed = await tx.ticketLink.deleteMany({ where: pair(id, other) });
    if (removed.count === 0) return "unchanged";
    await recordBoth(deps, tx, actor, "unlink", id, other, now);
    return "done";
  });
}

export type LinkedTicket = { id: number; subject: string; status: string };

/** The tickets linked with one, by number. */
export async function linkedTickets(deps: Deps, id: number): Promise<LinkedTicket[]> {
  const rows = await deps.db.ticketLink.findMany({
    where: { OR: [{ fromId: id }, { toId: id }] },
    select: {
      from: { select: { id: true, subject: true, status: true } },
      to: { select: { id: true, subject: true, status: true } },
    },
  });
  return rows.map((r) => (r.from.id === id ? r.to : r.from)).sort((a, b) => a.id - b.id);
}
