import type { Tx } from "../db/prisma.js";
import type { Deps } from "../env.js";
import { claimUrl, isGuestAddress } from "../guests/claims.js";
import type { I18n } from "../i18n/translate.js";
import { surveyOn, surveyUrl } from "../survey/survey.js";
import { type ChangeSubscriber, eventOf, type TicketChange } from "../tickets/events.js";
import { statusesOf } from "../tickets/statuses.js";
import { activeStaffWhere } from "../users/people.js";
import { replyAddress, threadRootId } from "./addresses.js";
import { type Composed, mailLanguage, messages } from "./messages.js";
import { enqueue } from "./outbox.js";
import { type MailKind, wantsMail } from "./settings.js";

type Person = { id: number; email: string; name: string; disabledAt: Date | null; language: string | null };

/**
 * What a change of status tells the requester, by the kinds (tickets/statuses.ts): into a waiting
 * status "we wait on you", into a closed one "closed"; a move within a kind (Waiting to a desk's own
 * "Waiting for parts") or to open work, nothing.
 */
const toldStatus = async (deps: Deps, change: TicketChange) => {
  const event = eventOf(change, "status");
  if (!event?.toValue) return undefined;
  const statuses = await statusesOf(deps);
  const to = statuses.kindOf(event.toValue);
  if (event.fromValue && statuses.kindOf(event.fromValue) === to) return undefined;
  return to === "waiting" ? "Waiting" : to === "closed" ? "Closed" : undefined;
};

/**
 * The emails a ticket change calls for, written to the outbox in the change's own transaction:
 * - the requester: the receipt of a new ticket, every public reply, a change to Waiting or Closed
 *   (said in the reply's email when it came with one: one email per answer);
 * - the assignee: being assigned, and the requester's replies;
 * - staff who asked for it: every new ticket.
 * Nobody is mailed about their own action (but for the receipt, which carries the number), nor
 * when disabled or when they turned that kind off; internal notes are never mailed.
 */
export async function notifyChange(deps: Deps, tx: Tx, change: TicketChange, now: Date): Promise<void> {
  const created = eventOf(change, "created");
  const reply = eventOf(change, "reply");
  const assigned = eventOf(change, "assignee");
  const merged = eventOf(change, "merged") ?? eventOf(change, "mergedIn");
  const status = await toldStatus(deps, change);
  // Internal notes, priorities and other statuses are never mailed: not even a query for them.
  if (!created && !reply && !assigned && !status && !merged) return;
  const person = {
    select: { id: true, email: true, name: true, disabledAt: true, language: true, emailConfirmedAt: true, role: true },
  };
  const ticket = await tx.ticket.findUnique({
    where: { id: change.ticketId },
    select: {
      id: true,
      subject: true,
      description: true,
      priority: true,
      createdAt: true,
      closedAt: true,
      claimedEmail: true,
      requester: person,
      assignee: person,
    },
  });
  if (!ticket) return;
  const { assignee, claimedEmail } = ticket;
  // An address claimed for the ticket is written to in the desk's words alone: no subject or text
  // someone else wrote, and links that ask "was it you?" first (guests/claims.ts).
  // So is the address of an account that has not shown it is there yet (registered, never followed
  // a link of ours): its own subject and text may be someone else's words about another's mailbox.
  const requester = claimedEmail ? { ...ticket.requester, email: claimedEmail } : ticket.requester;
  const unconfirmed = !claimedEmail && !requester.emailConfirmedAt && requester.role === "requester";
  const desk = deps.config.mail.from.name;
  const claimed = (i18n: I18n) => ({
    ...ticket,
    subject: i18n.t("mail.claimTopic", { desk }),
    url: claimUrl(deps.config, ticket.id, claimedEmail!),
  });
  /** The ticket as mail to the requester names it. */
  const toRequester = (i18n: I18n) =>
    claimedEmail ? claimed(i18n) : unconfirmed ? { ...ticket, subject: i18n.t("mail.ownTopic", { desk }) } : ticket;
  const actor =
    [requester, assignee].find((p) => p?.id === change.actorId) ??
    (await tx.user.findUnique({ where: { id: change.actorId }, ...person }));
  // Said in each recipient's language: the actor's name, else "the desk" in their words.
  const actorOf = (i18n: I18n) => actor?.name ?? i18n.t("mail.theDesk");
  const { config } = deps;
  const root = threadRootId(config, ticket);
  /**
   * One message to one person, if they want this kind, written in their language; `kind` names
   * it in the outbox when it differs; `answers` is the Message-ID of the email it answers (a
   * receipt of an emailed ticket).
   */
  const mail = async (
    to: Person | null,
    setting: MailKind,
    write: (i18n: I18n, actorName: string) => Composed,
    kind: string = setting,
    answers?: string,
  ) => {
    const receipt = setting === "receipt";
    if (!to || to.disabledAt || (to.id === change.actorId && !receipt)) return;
    // A guest who gave no address (guest-...@guest.invalid): nobody to mail, ever (RFC 2606).
    if (isGuestAddress(to.email)) return;
    if (!(await wantsMail(tx, to.id, setting))) return;
    const i18n = mailLanguage(config, to);
    const actorName = actorOf(i18n);
    const composed = write(i18n, actorName);
    await enqueue(
      deps,
      tx,
      {
        ...composed,
        kind,
        ticketId: ticket.id,
        to,
        ...(receipt ? { messageId: root } : {}),
        headers: {
          fromName: receipt ? undefined : i18n.t("mail.via", { name: actorName, desk: config.mail.from.name }),
          ...(receipt
            ? answers
              ? { inReplyTo: answers, references: [answers] }
              : {}
            : { inReplyTo: root, references: [root] }),
          replyTo: replyAddress(config, ticket.id, to.id),
        },
      },
      now,
    );
  };

  if (merged)
    return await mailMerge(
      tx,
      merged,
      (theirs, into) =>
        mail(
          requester,
          "status",
          (i18n, actor) =>
            merged.kind === "merged"
              ? messages.merged(config, i18n, toRequester(i18n), actor, into, theirs)
              : messages.mergedIn(config, i18n, toRequester(i18n), actor),
          merged.kind,
        ),
      ticket.requester.id,
    );

  /** The text of the message, with the files that came with it named (they stay on the ticket page). */
  const withFiles = (i18n: I18n, text: string) =>
    change.files ? `${text}\n\n${i18n.t("mail.filesOnTicket", { files: change.files })}` : text;
  const opened = (i18n: I18n) => ({ ...ticket, description: withFiles(i18n, ticket.description) });
  if (created) {
    // A ticket opened by email: its receipt answers that email, so it sits in the sender's thread.
    const opening = await tx.inboundMessage.findFirst({ where: { ticketId: ticket.id, outcome: "created" } });
    const receipt = (i18n: I18n) =>
      claimedEmail
        ? messages.claim(config, i18n, claimed(i18n))
        : unconfirmed
          ? messages.unconfirmedReceipt(config, i18n, toRequester(i18n))
          : messages.receipt(config, i18n, opened(i18n), requester.name);
    await mail(requester, "receipt", receipt, "receipt", opening?.messageId);
    const staff = await tx.user.findMany({
      where: {
        ...activeStaffWhere,
        id: { not: change.actorId },
        mailSettings: { some: { kind: "new_ticket", enabled: true } },
      },
      ...person,
    });
    for (const agent of staff)
      await mail(agent, "new_ticket", (i18n) => messages.new_ticket(config, i18n, opened(i18n), requester.name));
  }
  // A reply by mail to a ticket merged into this one, from that ticket's requester when they are
  // not this one's: for the assignee's eyes, never this requester's (merge.ts).
  const otherRequester =
    reply && change.fromTicketId
      ? (await tx.ticket.findUnique({ where: { id: change.fromTicketId }, select: { requesterId: true } }))
          ?.requesterId !== requester.id && change.actorId !== requester.id
      : false;
  // Closing asks "How did we do?" (unless an admin turned it off), of an account that has shown its
  // address is theirs: the links are for this closure alone (survey/survey.ts).
  const survey =
    status === "Closed" && ticket.closedAt && !claimedEmail && !unconfirmed && (await surveyOn(deps))
      ? {
          good: surveyUrl(config, ticket.id, ticket.closedAt, "good"),
          bad: surveyUrl(config, ticket.id, ticket.closedAt, "bad"),
        }
      : undefined;
  if (reply && otherRequester)
    await mail(assignee, "requester_reply", (i18n, actorName) =>
      messages.requester_reply(config, i18n, ticket, actorName, withFiles(i18n, change.body ?? "")),
    );
  else if (reply && change.actorId !== requester.id)
    await mail(requester, "reply", (i18n, actorName) =>
      messages.reply(config, i18n, toRequester(i18n), actorName, withFiles(i18n, change.body ?? ""), status, survey),
    );
  else if (reply)
    await mail(assignee, "requester_reply", (i18n, actorName) =>
      messages.requester_reply(config, i18n, ticket, actorName, withFiles(i18n, change.body ?? "")),
    );
  else if (status === "Waiting")
    await mail(
      requester,
      "status",
      (i18n, actor) => messages.waiting(config, i18n, toRequester(i18n), actor),
      "waiting",
    );
  else if (status === "Closed")
    await mail(
      requester,
      "status",
      (i18n, actor) => messages.closed(config, i18n, toRequester(i18n), actor, survey),
      "closed",
    );
  if (assigned)
    await mail(assignee, "assigned", (i18n, actor) => messages.assigned(config, i18n, ticket, actor, requester.name));
}

/**
 * A merge's one email to each requester (its closing says nothing more): the merged ticket's
 * requester hears where it went; the survivor's, only when the other ticket was someone else's
 * (one person with both tickets gets one email).
 */
async function mailMerge(
  tx: Tx,
  event: { kind: string; fromValue?: string | null; toValue?: string | null },
  send: (theirs: boolean, into: number) => Promise<void>,
  requesterId: number,
) {
  const other = Number(event.kind === "merged" ? event.toValue : event.fromValue);
  const row = await tx.ticket.findUnique({ where: { id: other }, select: { requesterId: true } });
  const theirs = row?.requesterId === requesterId;
  if (event.kind === "mergedIn" && theirs) return;
  await send(theirs, other);
}

/** The desk's emails about ticket changes, as a subscriber of the change pipeline. */
export const mailNotifications: ChangeSubscriber = { name: "mail notifications", onChange: notifyChange };
