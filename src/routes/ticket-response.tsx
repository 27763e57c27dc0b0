import { z } from "zod";
import type { Ctx } from "../env.js";
import { isStaff } from "../lib/authorization.js";
import { setFlash } from "../lib/flash.js";
import { fragment, isPartial, seeOther } from "../lib/htmx.js";
import { readForm, text } from "../lib/forms.js";
import { changeTicket, findTicket, MAX_ID, type TicketDetail } from "../lib/tickets.js";
import { ReplyForm, ReplyItem } from "../../views/tickets/_thread.js";
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
  return c.var.deps.db.user.findMany({
    where: { role: { in: ["agent", "admin"] }, disabledAt: null },
    select: { id: true, name: true },
    orderBy: { name: "asc" },
  });
}

export const viewerOf = (c: Ctx) => ({ id: c.var.user!.id, staff: isStaff(c.var.user) });

export async function renderTicketPage(c: Ctx, ticket: TicketDetail, extra: Partial<TicketPageProps> = {}) {
  return c.render(<TicketPage ticket={ticket} viewer={viewerOf(c)} staff={await staffOptions(c)} {...extra} />, {
    title: `#${ticket.id} ${ticket.subject}`,
  });
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
  return fragment(
    c,
    <>
      {main ? main(ticket) : state}
      {main && state}
      <History events={ticket.events} oob />
      <Flash message={message} oob />
    </>,
  );
}

/** A change that was not made: the ticket as it is now, with why, in place or as the page. */
export async function answerNotice(c: Ctx, status: 409 | 422, notice: (t: TicketDetail) => string) {
  const ticket = await loadTicket(c);
  if (!ticket) return c.notFound();
  c.status(status);
  if (isPartial(c))
    return fragment(
      c,
      <TicketState ticket={ticket} viewer={viewerOf(c)} staff={await staffOptions(c)} notice={notice(ticket)} />,
    );
  return renderTicketPage(c, ticket, { notice: notice(ticket) });
}

/** A change from a stale page: nothing was written; show what the ticket is now. */
export const answerStale = (c: Ctx) =>
  answerNotice(
    c,
    409,
    (t) =>
      `This ticket changed since you opened it (it is now ${t.status}, ${t.priority} priority, ${t.assignee ? `assigned to ${t.assignee.name}` : "unassigned"}). Nothing was changed: check it and try again.`,
  );

const threadForms = {
  replies: z.object({ body: text(z, "a reply", 1, 10_000) }),
  notes: z.object({ note: text(z, "a note", 1, 10_000) }),
};

/**
 * A public reply or an internal note: the same form and flow, another field and visibility. A
 * requester answering their closed ticket means the problem is back, so it reopens.
 */
export async function addToThread(c: Ctx, ticket: TicketDetail, kind: "replies" | "notes") {
  const internal = kind === "notes";
  const form = await readForm(c, threadForms[kind]);
  const value = internal ? form.values.note : form.values.body;
  if (!form.ok) {
    c.status(422);
    if (isPartial(c))
      return fragment(c, <ReplyForm ticketId={ticket.id} kind={kind} value={value} errors={form.errors} />);
    return renderTicketPage(c, ticket, { [internal ? "note" : "reply"]: { value, errors: form.errors } });
  }
  const user = c.var.user!;
  const body = value!.trim();
  const reopens = !internal && ticket.status === "Closed" && ticket.requesterId === user.id;
  let replyId = 0;
  let repeated = false;
  try {
    await changeTicket(
      c.var.deps.db,
      ticket.id,
      undefined,
      reopens ? { status: "Open", closedAt: null } : {},
      { actorId: user.id, kind: internal ? "note" : "reply", internal },
      async (tx) => {
        // The ticket row is written first, so two sends of one form take turns here and the second
        // finds the first: a double click, a refresh or a retry on a flaky link posts it once.
        const same = await tx.reply.findFirst({
          where: {
            ticketId: ticket.id,
            authorId: user.id,
            internal,
            body,
            createdAt: { gte: new Date(Date.now() - REPEAT_WINDOW_MS) },
          },
          select: { id: true },
        });
        if (same) throw new RepeatedReply();
        replyId = (await tx.reply.create({ data: { ticketId: ticket.id, authorId: user.id, body, internal } })).id;
        if (reopens)
          await tx.ticketEvent.create({
            data: { ticketId: ticket.id, actorId: user.id, kind: "status", fromValue: "Closed", toValue: "Open" },
          });
      },
    );
  } catch (error) {
    if (!(error instanceof RepeatedReply)) throw error;
    repeated = true;
  }
  const message = internal ? "Internal note added." : reopens ? "Reply sent. The ticket is open again." : "Reply sent.";
  return answerChange(c, message, (t) => (
    <>
      <ReplyForm ticketId={t.id} kind={kind} />
      {!repeated && (
        <ol data-hx-swap-oob="beforeend:#thread">
          <ReplyItem reply={t.replies.find((r) => r.id === replyId)!} />
        </ol>
      )}
    </>
  ));
}

/** How long the same text from the same person on the same ticket counts as one message sent twice. */
const REPEAT_WINDOW_MS = 60_000;
class RepeatedReply extends Error {}
