import { createMiddleware } from "hono/factory";
import type { FieldErrors } from "../../../views/components/field.js";
import { History } from "../../../views/tickets/_history.js";
import { ClosureActions, TicketState } from "../../../views/tickets/_state.js";
import { type Held, ReplyForm, ReplyItem, SeenField, Thread, Updates } from "../../../views/tickets/_thread.js";
import { TicketPage, type TicketPageProps } from "../../../views/tickets/show.js";
import { cannedFor } from "../../canned/replies.js";
import type { AppEnv, Ctx } from "../../env.js";
import { userOf } from "../../http/auth/middleware.js";
import { renderError } from "../../http/errors.js";
import { done, fragment, isPartial } from "../../http/htmx.js";
import { parseId } from "../../http/ids.js";
import { lastList } from "../../http/last-list.js";
import { priorityLabel, statusLabel } from "../../i18n/words.js";
import { latestAnswer } from "../../survey/survey.js";
import { tagNames } from "../../tags/tags.js";
import type { Outcome } from "../../tickets/changes.js";
import { findTicket } from "../../tickets/find.js";
import { linkedTickets } from "../../tickets/links.js";
import { lastSeen, newsOf } from "../../tickets/news.js";
import { can, isStaff } from "../../users/authorization.js";
import { activeStaff } from "../../users/people.js";

// What every /tickets/:id/... route shares: the ticket of the URL, and the answers after a change.

/** The ticket of the URL as `c.var.ticket` if the signed-in caller may see it; 404 for anyone else. */
export const ticketOfUrl = createMiddleware<AppEnv>(async (c, next) => {
  const id = parseId(c.req.param("id"));
  const ticket = id && (await findTicket(c.var.deps, userOf(c), id));
  if (!ticket) return c.notFound();
  // A merged ticket takes no more changes: they belong on the survivor.
  if (ticket.mergedIntoId !== null && c.req.method === "POST") {
    const { t } = c.var.i18n;
    return renderError(
      c,
      409,
      t("merge.closedTitle"),
      t("merge.noChanges", { id: ticket.id, into: ticket.mergedIntoId }),
    );
  }
  c.set("ticket", ticket);
  await next();
});

/** Staff-only changes: a requester who can see the ticket still may not make them. */
export const staffOnly = createMiddleware<AppEnv>(async (c, next) => {
  if (!can.triageTicket(userOf(c)))
    return renderError(c, 403, c.var.i18n.t("error.forbiddenTitle"), c.var.i18n.t("error.agentsOnly"));
  await next();
});

/** Staff: the canned replies the composer offers (the shared ones and their own). */
export const cannedOptions = async (c: Ctx) =>
  isStaff(c.var.user)
    ? (await cannedFor(c.var.deps, userOf(c))).map((r) => ({ id: r.id, title: r.title, shared: r.ownerId === null }))
    : undefined;

const staffOptions = (c: Ctx) => (isStaff(c.var.user) ? activeStaff(c.var.deps) : Promise.resolve([]));
const viewerOf = (c: Ctx) => ({ id: userOf(c).id, staff: isStaff(c.var.user) });
const reload = async (c: Ctx) => (await findTicket(c.var.deps, userOf(c), c.var.ticket.id))!;

export async function renderTicketPage(c: Ctx, extra: Partial<TicketPageProps> = {}) {
  const { ticket } = c.var;
  const staff = await staffOptions(c);
  // A guest has no list to go back to: the page is all they see of the desk.
  const back = c.var.guest ? "" : lastList(c);
  const canned = await cannedOptions(c);
  const tags = isStaff(c.var.user) ? await tagNames(c.var.deps) : undefined;
  const links = isStaff(c.var.user) ? await linkedTickets(c.var.deps, ticket.id) : undefined;
  // Only a ticket that has been closed can have been rated.
  const closedOnce = ticket.closedAt !== null || ticket.events.some((e) => e.kind === "status");
  const survey = isStaff(c.var.user) && closedOnce ? await latestAnswer(c.var.deps, ticket.id) : null;
  const page = (
    <TicketPage
      ticket={ticket}
      back={back}
      viewer={viewerOf(c)}
      staff={staff}
      canned={canned}
      tagNames={tags}
      links={links}
      survey={survey ?? undefined}
      {...extra}
    />
  );
  return c.render(page, { title: `#${ticket.id} ${ticket.subject}`, refused: extra.reply?.errors !== undefined });
}

/**
 * After a change: an in-place request gets the ticket's state, history and message swapped in
 * (`main` first when given, such as the new reply); a browser gets 303 back to the ticket.
 */
export function answerChange(c: Ctx, message: string, main?: (ticket: typeof c.var.ticket) => unknown, focus?: string) {
  return done(c, message, `/tickets/${c.var.ticket.id}`, async () => {
    const ticket = await reload(c);
    const state = (
      <TicketState
        ticket={ticket}
        viewer={viewerOf(c)}
        staff={await staffOptions(c)}
        oob={Boolean(main)}
        focus={focus}
      />
    );
    return (
      <>
        {main ? main(ticket) : state}
        {main && state}
        <RequesterClosure ticket={ticket} viewer={viewerOf(c)} focus={focus} />
        <History events={ticket.events} oob />
      </>
    );
  });
}

/** A change that was not made: the ticket as it is now, with why, in place or as the page. */
export async function answerNotice(c: Ctx, status: 409 | 422, notice: (t: typeof c.var.ticket) => string) {
  const ticket = await reload(c);
  c.set("ticket", ticket);
  c.status(status);
  if (!isPartial(c)) return renderTicketPage(c, { notice: notice(ticket) });
  const staff = await staffOptions(c);
  const viewer = viewerOf(c);
  return fragment(
    c,
    <>
      <TicketState ticket={ticket} viewer={viewer} staff={staff} notice={notice(ticket)} />
      <RequesterClosure ticket={ticket} viewer={viewer} />
    </>,
  );
}

type TicketOfUrl = Ctx["var"]["ticket"];

/** The requester's close/reopen block, renewed out of band with the state (staff have theirs in it). */
function RequesterClosure(props: { ticket: TicketOfUrl; viewer: { staff: boolean }; focus?: string }) {
  return props.viewer.staff ? null : <ClosureActions ticket={props.ticket} focus={props.focus} oob />;
}

/** A change from a stale page: nothing was written; show what the ticket is now. */
export const answerStale = (c: Ctx) =>
  answerNotice(c, 409, (ticket) => {
    const { t } = c.var.i18n;
    const assignee = ticket.assignee
      ? t("change.staleAssigned", { name: ticket.assignee.name })
      : t("change.staleUnassigned");
    const status = statusLabel(t, ticket.status);
    return t("change.stale", { status, priority: priorityLabel(t, ticket.priority), assignee });
  });

/**
 * The answer to a change's outcome: the message when done, `unchanged` when it already was so,
 * 409 when stale. `focus` names the form whose button keeps the keyboard focus after an in-place swap.
 */
export function answerOutcome(
  c: Ctx,
  outcome: Outcome,
  message: string,
  unchanged = c.var.i18n.t("change.nothing"),
  focus?: string,
) {
  if (outcome === "stale") return answerStale(c);
  return answerChange(c, outcome === "done" ? message : unchanged, undefined, focus);
}

/**
 * What a reply form that came back had seen: what it carried, or for a form without it (an old
 * page, a script) everything the ticket has now. Carried through, a form sent back to be fixed
 * never takes for read what it did not show.
 */
export const seenOf = (c: Ctx, posted: number | undefined) => posted ?? lastSeen(c.var.ticket.events);

/** A reply or note form that did not pass: the same form with the text kept, in place or in the page. */
export async function answerThreadFormErrors(
  c: Ctx,
  value: string | undefined,
  errors: FieldErrors,
  asNote: boolean | undefined,
  posted: number | undefined,
) {
  c.status(422);
  const { ticket } = c.var;
  const reopens = c.var.statuses.isClosed(ticket.status) && ticket.requesterId === userOf(c).id;
  const canned = await cannedOptions(c);
  const seen = seenOf(c, posted);
  const form = (
    <ReplyForm
      ticketId={ticket.id}
      seen={seen}
      value={value}
      errors={errors}
      reopens={reopens}
      asNote={asNote}
      canned={canned}
    />
  );
  if (isPartial(c)) return fragment(c, form);
  // The page has one reply form (for agents the composer); a note with an error comes back in it.
  return renderTicketPage(c, { reply: { value, errors, asNote, seen } });
}

/**
 * A public reply held because others answered or changed the ticket since the form's page showed
 * it (409): the ticket as it is now, what is new listed above the text as it was typed, and
 * "Send anyway". In place: the composer, and the thread, state and history brought up to date.
 */
export async function answerHeld(c: Ctx, value: string, posted: number, again: Held["again"], files: boolean) {
  const ticket = await reload(c);
  c.set("ticket", ticket);
  c.status(409);
  const viewer = userOf(c);
  const seen = lastSeen(ticket.events);
  const partial = isPartial(c);
  const held: Held = { news: newsOf(viewer, ticket.events, posted), again, filesLost: files && !partial };
  if (!partial) return renderTicketPage(c, { reply: { value, seen, held } });
  const canned = await cannedOptions(c);
  const reopens = c.var.statuses.isClosed(ticket.status) && ticket.requesterId === viewer.id;
  return fragment(
    c,
    <>
      <ReplyForm ticketId={ticket.id} seen={seen} value={value} held={held} reopens={reopens} canned={canned} />
      <NewsInPlace ticket={ticket} viewer={viewerOf(c)} staff={await staffOptions(c)} />
      <Updates ticketId={ticket.id} seen={seen} oob />
    </>,
  );
}

/** What others did, brought into the page in place: the thread, the state (and the requester's close or reopen), the history. */
function NewsInPlace(props: {
  ticket: TicketOfUrl;
  viewer: { id: number; staff: boolean };
  staff: { id: number; name: string }[];
}) {
  const { ticket, viewer } = props;
  return (
    <>
      <Thread replies={ticket.replies} oob />
      {ticket.replies.length > 0 && <p id="no-replies" data-hx-swap-oob="delete" />}
      <TicketState ticket={ticket} viewer={viewer} staff={props.staff} oob />
      <RequesterClosure ticket={ticket} viewer={viewer} />
      <History events={ticket.events} oob />
    </>
  );
}

/**
 * GET /tickets/:id/updates?seen=N: the polled "N new updates" (a few hundred bytes, one indexed
 * count), or with `show` the news brought into the page and the reply form's mark moved on. A
 * browser that opens the address gets the ticket's page.
 */
export async function answerUpdates(c: Ctx, seen: number, count: number, show: boolean) {
  const { ticket } = c.var;
  if (!isPartial(c)) return c.redirect(`/tickets/${ticket.id}#thread`, 303);
  if (!show) return fragment(c, <Updates ticketId={ticket.id} seen={seen} count={count} />);
  const now = lastSeen(ticket.events);
  return fragment(
    c,
    <>
      <Updates ticketId={ticket.id} seen={now} />
      <SeenField seen={now} oob />
      <NewsInPlace ticket={ticket} viewer={viewerOf(c)} staff={await staffOptions(c)} />
    </>,
  );
}

/**
 * After a reply or note: an empty form, the new message appended to the thread (unless it was a
 * repeat). The form keeps the mark it carried: what others did meanwhile is not in this answer.
 */
export async function answerThreadPost(c: Ctx, replyId: number | null, message: string, posted?: number) {
  const canned = await cannedOptions(c);
  const seen = seenOf(c, posted);
  return answerChange(c, message, (t) => (
    <>
      <ReplyForm ticketId={t.id} seen={seen} canned={canned} />
      {replyId !== null && (
        <ol data-hx-swap-oob="beforeend:#thread">
          <ReplyItem reply={t.replies.find((r) => r.id === replyId)!} />
        </ol>
      )}
      {/* The first message: "No replies yet." is no longer true. */}
      {replyId !== null && <p id="no-replies" data-hx-swap-oob="delete" />}
    </>
  ));
}
