import type { CurrentUser, Deps } from "../env.js";
import { isStaff } from "../lib/authorization.js";

/**
 * A ticket the user may see, with what the ticket page shows, or null (missing and forbidden
 * alike): requesters their own tickets without internal notes, staff every ticket.
 */
export async function findTicket(deps: Deps, user: CurrentUser, id: number) {
  const staff = isStaff(user);
  const visible = staff ? {} : { internal: false };
  return deps.db.ticket.findFirst({
    where: { id, ...(staff ? {} : { requesterId: user.id }) },
    include: {
      requester: { select: { id: true, name: true, email: true } },
      assignee: { select: { id: true, name: true } },
      replies: {
        where: visible,
        orderBy: { id: "asc" },
        include: { author: { select: { id: true, name: true, role: true } } },
      },
      events: { where: visible, orderBy: { id: "asc" }, include: { actor: { select: { id: true, name: true } } } },
    },
  });
}
export type TicketDetail = NonNullable<Awaited<ReturnType<typeof findTicket>>>;
