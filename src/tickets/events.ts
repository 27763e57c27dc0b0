import type { Tx } from "../db/prisma.js";
import type { Deps } from "../env.js";
import { notifyChange } from "../mail/notify.js";

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
  /** The text of a reply, for its email; not part of the history event. */
  body?: string;
  /** The files that came with it, in words ("jam.png (12 KB)"), for its email; not part of the history event. */
  files?: string;
};

/**
 * The one place every change to a ticket passes, inside the transaction that makes the change: its
 * history event and its emails in the outbox (mail/notify.ts); whatever else must happen with a
 * change (a due date, a webhook) is added here too, so it commits or rolls back with the change itself.
 */
export async function recordChange(deps: Deps, tx: Tx, change: TicketChange, now: Date): Promise<void> {
  const { body: _body, files: _files, ...event } = change;
  await tx.ticketEvent.create({ data: { ...event, internal: change.internal ?? false, createdAt: now } });
  await notifyChange(deps, tx, change, now);
}
