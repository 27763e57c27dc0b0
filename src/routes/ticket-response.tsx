import type { Ctx } from "../env.js";
import { isStaff } from "../lib/authorization.js";
import { setFlash } from "../lib/flash.js";
import { fragment, isPartial, seeOther } from "../lib/htmx.js";
import { findTicket, MAX_ID, type TicketDetail } from "../lib/tickets.js";
import { Flash } from "../../views/components/flash.js";
import { History } from "../../views/tickets/_history.js";
import { TicketState } from "../../views/tickets/_state.js";
import { TicketPage, type TicketPageProps } from "../../views/tickets/show.js";

// What every ticket route shares: loading the ticket for the caller and answering after a change.

export function ticketId(c: Ctx): number {
  const id = Number(c.req.param("id"));
  return Number.isSafeInteger(id) && id >= 1 && id <= MAX_ID ? id : 0;
}

/** The ticket of the URL if the caller may see it; otherwise null, and the route answers 404. */
export const loadTicket = (c: Ctx) => findTicket(c.var.deps, c.var.user!, ticketId(c));

export async function staffOptions(c: Ctx) {
  if (!isStaff(c.var.user)) return [];
  return c.var.deps.db.user.findMany({ where: { role: { in: ["agent", "admin"] }, disabledAt: null }, select: { id: true, name: true }, orderBy: { name: "asc" } });
}

export const viewerOf = (c: Ctx) => ({ id: c.var.user!.id, staff: isStaff(c.var.user) });

export async function renderTicketPage(c: Ctx, ticket: TicketDetail, extra: Partial<TicketPageProps> = {}) {
  return c.render(<TicketPage ticket={ticket} viewer={viewerOf(c)} staff={await staffOptions(c)} {...extra} />, { title: `#${ticket.id} ${ticket.subject}` });
}

/**
 * After a change: an in-place request gets the ticket's state, history and message swapped in
 * (plus `extra`, such as the new reply); a browser gets 303 back to the ticket with a flash.
 */
export async function answerChange(c: Ctx, message: string, main?: (t: TicketDetail) => unknown) {
  const id = ticketId(c);
  if (!isPartial(c)) {
    setFlash(c, message);
    return seeOther(c, `/tickets/${id}`);
  }
  const ticket = (await loadTicket(c))!;
  const staff = await staffOptions(c);
  const state = <TicketState ticket={ticket} viewer={viewerOf(c)} staff={staff} oob={Boolean(main)} />;
  return fragment(c, 
    <>
      {main ? main(ticket) : state}
      {main && state}
      <History events={ticket.events} oob />
      <Flash message={message} oob />
    </>,
  );
}

/** A change from a stale page: nothing was written; show what the ticket is now. */
export async function answerStale(c: Ctx) {
  const ticket = await loadTicket(c);
  if (!ticket) return c.notFound();
  const notice = `This ticket changed since you opened it (it is now ${ticket.status}, ${ticket.priority} priority, ${ticket.assignee ? `assigned to ${ticket.assignee.name}` : "unassigned"}). Nothing was changed: check it and try again.`;
  c.status(409);
  if (isPartial(c)) return fragment(c, <TicketState ticket={ticket} viewer={viewerOf(c)} staff={await staffOptions(c)} notice={notice} />);
  return renderTicketPage(c, ticket, { notice });
}
