import type { CurrentUser, Deps } from "../env.js";
import { attachmentSelect } from "../attachments/files.js";
import { isStaff } from "../lib/authorization.js";

/**
 * A ticket the user may see, with what the ticket page shows, or null (missing and forbidden
 * alike): requesters their own tickets without internal notes, staff every ticket.
 */
export async function findTicket(deps: Deps, user: CurrentUser, id: number) {
  const staff = isStaff(user);
  const visible = staff ? {} : { internal: false };
  const found = await deps.db.ticket.findFirst({
    where: { id, ...(staff ? {} : { requesterId: user.id }) },
    include: {
      requester: { select: { id: true, name: true, email: true } },
      assignee: { select: { id: true, name: true } },
      // Every file of the ticket in one query (each relation is a query of its own), given below
      // to the description or to its reply.
      attachments: { orderBy: { id: "asc" }, select: { ...attachmentSelect, replyId: true } },
      replies: {
        where: visible,
        orderBy: { id: "asc" },
        include: { author: { select: { id: true, name: true, role: true } } },
      },
      events: { where: visible, orderBy: { id: "asc" }, include: { actor: { select: { id: true, name: true } } } },
    },
  });
  if (!found) return null;
  const { attachments, replies, ...ticket } = found;
  // A note's files go with the note: a requester, whose replies hold no notes, never gets them.
  return {
    ...ticket,
    attachments: attachments.filter((f) => f.replyId === null),
    replies: replies.map((r) => ({ ...r, attachments: attachments.filter((f) => f.replyId === r.id) })),
  };
}
export type TicketDetail = NonNullable<Awaited<ReturnType<typeof findTicket>>>;

/** How long the same subject and description from the same person counts as the same ticket again. */
export const TWIN_WINDOW_MS = 10 * 60_000;

/**
 * The ticket this person opened a moment ago with the same subject and description, if any: a
 * form sent again after Back (the browser refills it, with a fresh form token) is most likely the
 * same problem, so the person is asked before a second ticket is made.
 */
export function recentTwin(deps: Deps, requesterId: number, input: { subject: string; description: string }) {
  const since = new Date(deps.clock.now().getTime() - TWIN_WINDOW_MS);
  return deps.db.ticket.findFirst({
    where: { requesterId, subject: input.subject, description: input.description, createdAt: { gte: since } },
    orderBy: { id: "desc" },
    select: { id: true, createdAt: true },
  });
}
