import type { Email } from "postal-mime";
import type { Deps } from "../env.js";
import { threadRootOf } from "./addresses.js";
import { first, ids } from "./reading.js";

// Which ticket an incoming message is about: what it answers (a message the desk sent or took, or
// a ticket's thread root), else the [#123] in its subject. This proves nothing about who wrote it
// (src/mail/trust.ts decides that).

const seenSelect = {
  id: true,
  status: true,
  priority: true,
  assigneeId: true,
  requesterId: true,
  claimedEmail: true,
  createdAt: true,
  mergedIntoId: true,
  assignee: { select: { name: true } },
} as const;

export const ticketById = (deps: Deps, id: number | null | undefined) =>
  id ? deps.db.ticket.findUnique({ where: { id }, select: seenSelect }) : null;

type Seen = NonNullable<Awaited<ReturnType<typeof ticketById>>>;

/**
 * Where mail about a ticket lands: the ticket, or when it was merged, the survivor, with the
 * number it was addressed to (the reply is marked "from #n" there: tickets/merge.ts).
 */
export async function landingOf(
  deps: Deps,
  ticket: Seen,
): Promise<{ target: Seen; fromTicketId?: number; fromOtherRequester?: boolean }> {
  if (ticket.mergedIntoId === null) return { target: ticket };
  const survivor = await ticketById(deps, ticket.mergedIntoId);
  if (!survivor) return { target: ticket };
  return { target: survivor, fromTicketId: ticket.id, fromOtherRequester: survivor.requesterId !== ticket.requesterId };
}

/** The ticket a message points at, without proving who sent it: threading headers, then [#123]. */
export async function ticketPointedAt(deps: Deps, email: Email, subject: string) {
  const { db, config } = deps;
  const refs = [...ids(email.inReplyTo), ...ids(first(email, "references"))];
  if (refs.length) {
    const sent = await db.outboxMessage.findFirst({ where: { messageId: { in: refs }, ticketId: { not: null } } });
    const taken =
      sent ?? (await db.inboundMessage.findFirst({ where: { messageId: { in: refs }, ticketId: { not: null } } }));
    const ticket = await ticketById(deps, taken?.ticketId);
    if (ticket) return ticket;
    // The thread root of a ticket whose receipt was never sent (turned off).
    for (const ref of refs) {
      const named = threadRootOf(config, ref);
      const root = named && (await ticketById(deps, named.ticketId));
      if (root && root.createdAt.getTime().toString(36) === named.created) return root;
    }
  }
  const tag = subject.match(/\[#(\d{1,9})\]/);
  return tag ? await ticketById(deps, Number(tag[1])) : null;
}
