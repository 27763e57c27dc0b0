import type { Tx } from "../db/prisma.js";

/** One change to a ticket as its history tells it. */
export type TicketChange = {
  ticketId: number;
  actorId: number;
  /** created | status | priority | assignee | reply | note */
  kind: string;
  fromValue?: string | null;
  toValue?: string | null;
  /** Seen by staff only (notes). */
  internal?: boolean;
};

/**
 * The one place every change to a ticket passes, inside the transaction that makes the change: its
 * history event today, and whatever else must happen with a change (a notification in the outbox,
 * a due date, a webhook) is added here, so it commits or rolls back with the change itself.
 */
export async function recordChange(tx: Tx, change: TicketChange, now: Date): Promise<void> {
  await tx.ticketEvent.create({ data: { ...change, internal: change.internal ?? false, createdAt: now } });
}
