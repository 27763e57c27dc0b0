import type { Tx } from "../db/prisma.js";
import type { Deps } from "../env.js";
import { type ChangeSubscriber, eventOf, type TicketChange } from "../tickets/events.js";
import { statusesOf } from "../tickets/statuses.js";
import { isStaff } from "../users/authorization.js";
import { SLA_ROW, type SlaRow, slaFields } from "./due.js";
import { readPolicy } from "./policy.js";

/** The changes that move a ticket's service clock; an assignee or an internal note does not. */
const MOVES_THE_CLOCK = new Set(["created", "status", "priority", "reply"]);

const ROW = { ...SLA_ROW, requesterId: true } as const;

/**
 * The ticket's due times after a change, written in the change's transaction (sla/due.ts says
 * how they are reckoned). The policy is read here, inside the change, so a policy saved on one
 * instance holds for the next change on every instance.
 */
export async function updateDueTimes(deps: Deps, tx: Tx, change: TicketChange, now: Date): Promise<void> {
  if (!change.events.some((e) => MOVES_THE_CLOCK.has(e.kind))) return;
  const row = await tx.ticket.findUnique({ where: { id: change.ticketId }, select: ROW });
  if (!row) return;
  const answered =
    !row.firstResponseAt && eventOf(change, "reply") !== undefined && (await byTheDesk(tx, change, row.requesterId));
  const policy = await readPolicy(tx, deps.config.timeZone);
  const recompute = eventOf(change, "created") !== undefined || eventOf(change, "priority") !== undefined;
  // At the change's own time: Prisma's @updatedAt would stamp the wall clock over the change's.
  const statuses = await statusesOf(deps);
  const data = { ...slaFields(policy, row as SlaRow, { answered, recompute }, now, statuses), updatedAt: now };
  await tx.ticket.update({ where: { id: change.ticketId }, data });
}

/** A public reply by an agent or admin who is not the ticket's own requester. */
async function byTheDesk(tx: Tx, change: TicketChange, requesterId: number): Promise<boolean> {
  if (change.actorId === requesterId) return false;
  return isStaff(await tx.user.findUnique({ where: { id: change.actorId }, select: { role: true } }));
}

export const slaDueTimes: ChangeSubscriber = { name: "sla due times", onChange: updateDueTimes };
