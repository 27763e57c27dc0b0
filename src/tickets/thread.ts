import { filesInWords, saveFiles, type Upload } from "../attachments/files.js";
import type { Tx } from "../db/prisma.js";
import type { CurrentUser, Deps } from "../env.js";
import { isStaff } from "../users/authorization.js";
import { fieldChanges, type Seen, staffMember, writeChange } from "./changes.js";
import type { Status } from "./model.js";
import { hasNews } from "./news.js";
import { DEFAULT_OF, type Statuses, statusesOf } from "./statuses.js";

// Replies and notes: posted once even when sent twice (double click, refresh, retry on a slow
// link), with the status change they bring in the same change (one transaction, one email).

/** How long the same text from the same person on the same ticket counts as one message sent twice. */
export const REPEAT_WINDOW_MS = 60_000;
class Repeated extends Error {}
class Collided extends Error {}

/**
 * What a caller adds to a reply or note: its files, the status staff set with it ("Send and set
 * Waiting"), and for mail the whole email (before its quoted history was cut) and a write of its
 * own in the change's transaction (the record of the email, so a message taken twice changes nothing).
 */
export type ThreadExtra = {
  files?: Upload[];
  setStatus?: Status;
  emailText?: string;
  also?: (tx: Tx, ticketId: number) => Promise<void>;
  /**
   * The last history event the writer's page showed: a public reply is held (`collided`) when
   * someone else has answered or changed the ticket since (news.ts). None: sent regardless (mail).
   */
  seen?: number;
  /**
   * Mail to a ticket merged into this one (merge.ts): the ticket it was addressed to. Its
   * requester speaks as a requester here, and when they are not this ticket's, only staff read it.
   */
  fromTicketId?: number;
  /** That ticket's requester is not this one's: the line in the history is for staff only. */
  fromOtherRequester?: boolean;
};

/**
 * The status a public reply leaves the ticket in, if it changes: what staff asked for; the
 * requester answering their closed ticket (any status of the closed kind) means the problem is
 * back (Open); answering while the desk waits on them (any waiting status) hands it back to the
 * desk (In progress when someone has it, else Open).
 */
export function statusAfterReply(
  ticket: Seen,
  authorId: number,
  statuses: Statuses,
  asked?: Status,
): Status | undefined {
  if (asked) return asked;
  if (ticket.requesterId !== authorId) return undefined;
  const kind = statuses.kindOf(ticket.status);
  if (kind === "closed") return DEFAULT_OF.open;
  if (kind === "waiting") return ticket.assigneeId ? DEFAULT_OF.progress : DEFAULT_OF.open;
  return undefined;
}

export type Posted = { replyId: number | null; status: Status | null; reopened: boolean; collided?: boolean };

/** Who writes in a thread: their role decides what a reply may bring with it. */
export type Author = Pick<CurrentUser, "id" | "role">;

/**
 * The assignee a public reply brings: an agent answering a ticket nobody has takes it
 * (ASSIGN_ON_REPLY, on by default), so it does not sit unowned after its first answer.
 */
async function takerOf(deps: Deps, author: Author, ticket: Seen, internal: boolean) {
  const takes =
    deps.config.assignOnReply &&
    !internal &&
    ticket.assigneeId === null &&
    author.id !== ticket.requesterId &&
    isStaff(author);
  return takes ? staffMember(deps, author.id) : null;
}

async function addToThread(
  deps: Deps,
  author: Author,
  ticket: Seen,
  body: string,
  internal: boolean,
  extra: ThreadExtra,
): Promise<Posted> {
  const statuses = await statusesOf(deps);
  const status = internal ? undefined : statusAfterReply(ticket, author.id, statuses, extra.setStatus);
  const taker = await takerOf(deps, author, ticket, internal);
  const wanted = taker ? { status, assigneeId: taker.id } : { status };
  const fields = fieldChanges(ticket, wanted, taker, deps.clock.now(), statuses);
  const moved = fields.changed.includes("status") ? (status ?? null) : null;
  const events = [
    { kind: internal ? "note" : "reply", internal: internal || extra.fromOtherRequester },
    ...fields.events,
  ];
  // Who spoke last in public: the queue's "Needs reply" is every open ticket whose requester did.
  const asRequester = author.id === ticket.requesterId || (extra.fromTicketId !== undefined && !isStaff(author));
  const data = internal ? fields.data : { ...fields.data, lastSpoke: asRequester ? "requester" : "staff" };
  let replyId = 0;
  try {
    const fromTicketId = extra.fromTicketId ?? null;
    const change = { actorId: author.id, events, body, files: filesInWords(extra.files), fromTicketId };
    await writeChange(deps, ticket, undefined, data, change, async (tx, now) => {
      const since = new Date(now.getTime() - REPEAT_WINDOW_MS);
      const same = { ticketId: ticket.id, authorId: author.id, internal, body, createdAt: { gte: since } };
      if (await tx.reply.findFirst({ where: same, select: { id: true } })) throw new Repeated();
      // Read after the ticket row is written: a reply sent at the same moment is either in or waits.
      if (!internal && extra.seen !== undefined && (await hasNews(tx, author, ticket.id, extra.seen)))
        throw new Collided();
      const emailText = extra.emailText ?? null;
      replyId = (
        await tx.reply.create({
          data: { ticketId: ticket.id, authorId: author.id, body, internal, emailText, createdAt: now, fromTicketId },
        })
      ).id;
      if (extra.files?.length) await saveFiles(tx, extra.files, { ticketId: ticket.id, replyId }, now);
      await extra.also?.(tx, ticket.id);
    });
  } catch (error) {
    if (error instanceof Repeated) return { replyId: null, status: null, reopened: false };
    if (error instanceof Collided) return { replyId: null, status: null, reopened: false, collided: true };
    throw error;
  }
  return { replyId, status: moved, reopened: moved !== null && statuses.isClosed(ticket.status) };
}

/** A public reply, with the status it brings (statusAfterReply). `replyId` is null when the same reply was just posted. */
export const addReply = (deps: Deps, author: Author, ticket: Seen, body: string, extra: ThreadExtra = {}) =>
  addToThread(deps, author, ticket, body, false, extra);

/** An internal note, for staff only; it never changes the status. */
export const addNote = (deps: Deps, author: Author, ticket: Seen, body: string, extra: ThreadExtra = {}) =>
  addToThread(deps, author, ticket, body, true, extra);
