import type { Tx } from "../db/prisma.js";
import type { Deps } from "../env.js";

/** One line of a ticket's history. */
export type ChangeEvent = {
  /** created | status | priority | assignee | reply | note */
  kind: string;
  fromValue?: string | null;
  toValue?: string | null;
  /** Seen by staff only (notes). */
  internal?: boolean;
};

/** One change to a ticket: everything one person did in one transaction, as its history tells it. */
export type TicketChange = {
  ticketId: number;
  actorId: number;
  events: ChangeEvent[];
  /** The text of a reply or note, for its email; not part of the history event. */
  body?: string;
  /** The files that came with it, in words ("jam.png (12 KB)"), for its email; not part of the history event. */
  files?: string;
  /** A reply by mail to a ticket merged into this one: the ticket it was addressed to (thread.ts). */
  fromTicketId?: number | null;
};

/**
 * What must happen with every change (its emails, a due time, a webhook): called once per change
 * inside the change's transaction, so it commits or rolls back with it. A subscriber writes only
 * its own rows. The list is made once at start-up (src/subscribers.ts); this folder never imports one.
 */
export type ChangeSubscriber = {
  name: string;
  onChange: (deps: Deps, tx: Tx, change: TicketChange, now: Date) => Promise<void>;
};

/** The one place every change to a ticket passes: its history events, then each subscriber. */
export async function recordChange(deps: Deps, tx: Tx, change: TicketChange, now: Date): Promise<void> {
  for (const event of change.events)
    await tx.ticketEvent.create({
      data: {
        ticketId: change.ticketId,
        actorId: change.actorId,
        kind: event.kind,
        fromValue: event.fromValue ?? null,
        toValue: event.toValue ?? null,
        internal: event.internal ?? false,
        createdAt: now,
      },
    });
  for (const subscriber of deps.subscribers) await subscriber.onChange(deps, tx, change, now);
}

/** The event of this kind in a change, if it has one. */
export const eventOf = (change: TicketChange, kind: string) => change.events.find((e) => e.kind === kind);
