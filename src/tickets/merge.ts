import type { Tx } from "../db/prisma.js";
import type { Deps } from "../env.js";
import type { Actor } from "./changes.js";
import { type ChangeEvent, recordChange } from "./events.js";
import { statusData } from "./model.js";
import { DEFAULT_OF, statusesOf } from "./statuses.js";

// Merging a duplicate into another ticket (the survivor), in one transaction: the duplicate's
// opening message, replies, notes and files move to the survivor, each marked with the number it
// was written on; the duplicate closes, pointing at the survivor; both histories say so; and each
// requester hears of it by mail (the mail subscriber, from the "merged" and "mergedIn" events).
//
// Two requesters: each keeps seeing only their own words. The survivor's requester sees what came
// from a ticket of theirs; what came from someone else's stays on that person's merged ticket page
// (find.ts), so nobody sees another's messages or address.

export type MergeOutcome =
  | { outcome: "done"; survivorId: number }
  /** The duplicate changed since the page was loaded (its version), or the survivor was merged meanwhile. */
  | { outcome: "stale" }
  /** No ticket has that number. */
  | { outcome: "missing" }
  /** A ticket cannot be merged into itself. */
  | { outcome: "self" }
  /** The ticket named was itself merged into `into`: merge into that one. */
  | { outcome: "merged"; into: number }
  /**
   * Not confirmed: nothing was written. The survivor, to be shown before the merge happens, and
   * whether its requester is someone else (then each keeps seeing only their own words).
   */
  | { outcome: "confirm"; survivor: { id: number; subject: string }; otherRequester: boolean };

class Stale extends Error {}

const ROW = { id: true, status: true, requesterId: true, mergedIntoId: true, description: true, createdAt: true };

/**
 * Merges ticket `duplicateId` (as the person saw it at `version`; none: regardless) into
 * `survivorId`, once `confirmed` (before that, what the merge would be). Tickets merged into the
 * duplicate before now lead to the survivor too.
 */
export async function mergeTickets(
  deps: Deps,
  actor: Actor,
  duplicateId: number,
  survivorId: number,
  options: { version?: number; confirmed?: boolean } = {},
): Promise<MergeOutcome> {
  if (duplicateId === survivorId) return { outcome: "self" };
  const statuses = await statusesOf(deps);
  const now = deps.clock.now();
  try {
    return await deps.db.$transaction(async (tx): Promise<MergeOutcome> => {
      const [duplicate, survivor] = await Promise.all([
        tx.ticket.findUnique({ where: { id: duplicateId }, select: ROW }),
        tx.ticket.findUnique({ where: { id: survivorId }, select: { ...ROW, subject: true } }),
      ]);
      if (!duplicate || duplicate.mergedIntoId !== null) throw new Stale();
      if (!survivor) return { outcome: "missing" };
      if (survivor.mergedIntoId !== null) return { outcome: "merged", into: survivor.mergedIntoId };
      if (!options.confirmed) {
        const otherRequester = duplicate.requesterId !== survivor.requesterId;
        return { outcome: "confirm", survivor: { id: survivor.id, subject: survivor.subject }, otherRequester };
      }

      const closing: { status?: string; closedAt?: Date | null } = statuses.isClosed(duplicate.status)
        ? {}
        : statusData(DEFAULT_OF.closed, duplicate.status, now, statuses);
      const version = options.version !== undefined ? { version: options.version } : {};
      const writes = [
        // The duplicate at the version seen; the survivor not merged away meanwhile (the other way round).
        () =>
          tx.ticket.updateMany({
            where: { id: duplicateId, mergedIntoId: null, ...version },
            data: { ...closing, mergedIntoId: survivorId, updatedAt: now, version: { increment: 1 } },
          }),
        () =>
          tx.ticket.updateMany({
            where: { id: survivorId, mergedIntoId: null },
            data: { updatedAt: now, version: { increment: 1 } },
          }),
      ];
      // Both rows in number order: two merges of the same pair take turns instead of deadlocking.
      if (survivorId < duplicateId) writes.reverse();
      for (const write of writes) if ((await write()).count === 0) throw new Stale();

      await moveThread(tx, duplicate, survivorId);

      // Two requesters: neither's history names the other's ticket (staff see both lines).
      const internal = duplicate.requesterId !== survivor.requesterId;
      const events: ChangeEvent[] = [{ kind: "merged", toValue: String(survivorId), internal }];
      if (closing.status) events.push({ kind: "status", fromValue: duplicate.status, toValue: closing.status });
      await recordChange(deps, tx, { ticketId: duplicateId, actorId: actor.id, events }, now);
      await recordChange(
        deps,
        tx,
        {
          ticketId: survivorId,
          actorId: actor.id,
          events: [{ kind: "mergedIn", fromValue: String(duplicateId), internal }],
        },
        now,
      );
      return { outcome: "done", survivorId };
    });
  } catch (error) {
    if (error instanceof Stale) return { outcome: "stale" };
    throw error;
  }
}

/**
 * The duplicate's words and files onto the survivor: its description as an opening message (at
 * its own time, so the thread reads in order), then its replies and notes as they are, each
 * marked with the ticket it was written on (a message merged in earlier keeps its first mark).
 */
async function moveThread(
  tx: Tx,
  duplicate: { id: number; requesterId: number; description: string; createdAt: Date },
  survivorId: number,
) {
  const opening = await tx.reply.create({
    data: {
      ticketId: survivorId,
      authorId: duplicate.requesterId,
      body: duplicate.description,
      createdAt: duplicate.createdAt,
      fromTicketId: duplicate.id,
      opening: true,
    },
    select: { id: true },
  });
  // The description's files go with the opening message; the replies' files with their replies.
  await tx.attachment.updateMany({
    where: { ticketId: duplicate.id, replyId: null },
    data: { ticketId: survivorId, replyId: opening.id },
  });
  await tx.attachment.updateMany({ where: { ticketId: duplicate.id }, data: { ticketId: survivorId } });
  await tx.reply.updateMany({
    where: { ticketId: duplicate.id, fromTicketId: null },
    data: { ticketId: survivorId, fromTicketId: duplicate.id },
  });
  await tx.reply.updateMany({ where: { ticketId: duplicate.id }, data: { ticketId: survivorId } });
  // Tickets merged into the duplicate before lead to the survivor now (never a chain to follow).
  await tx.ticket.updateMany({ where: { mergedIntoId: duplicate.id }, data: { mergedIntoId: survivorId } });
}

/** The ticket a number leads to: itself, or the survivor it was merged into. */
export async function survivorOf(deps: Deps, id: number): Promise<number | null> {
  const row = await deps.db.ticket.findUnique({ where: { id }, select: { mergedIntoId: true } });
  return row?.mergedIntoId ?? null;
}
