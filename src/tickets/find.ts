import type { CurrentUser, Deps } from "../env.js";
import { Prisma } from "../generated/sqlite/client.js";
import { readRows } from "../db/reads.js";
import { isStaff } from "../lib/authorization.js";

type TicketRow = {
  id: number;
  subject: string;
  description: string;
  priority: string;
  status: string;
  createdAt: Date;
  updatedAt: Date;
  closedAt: Date | null;
  requesterId: number;
  assigneeId: number | null;
  version: number;
  guest: boolean;
  accessCode: string | null;
  requesterName: string;
  requesterEmail: string;
  assigneeName: string | null;
};
type FileRow = { id: number; name: string; type: string; size: number; contentHash: string; replyId: number | null };
type ReplyRow = {
  id: number;
  ticketId: number;
  authorId: number;
  body: string;
  internal: boolean;
  emailText: string | null;
  createdAt: Date;
  authorName: string;
  authorRole: string;
};
type EventRow = {
  id: number;
  ticketId: number;
  actorId: number;
  kind: string;
  fromValue: string | null;
  toValue: string | null;
  internal: boolean;
  createdAt: Date;
  actorName: string;
};

/**
 * A ticket the user may see, with what the ticket page shows, or null (missing and forbidden
 * alike): requesters their own tickets without internal notes, staff every ticket.
 *
 * Four tagged `$queryRaw` statements (the ticket with its people; its files; replies with their
 * authors; events with their actors): the ticket page is the hottest read after the lists, and
 * Prisma's query builder compiled its six-relation query anew on every view.
 * tests/tickets/find.test.ts holds them to exactly what that Prisma query returned.
 */
export async function findTicket(deps: Deps, user: CurrentUser, id: number) {
  const staff = isStaff(user);
  const own = staff ? Prisma.empty : Prisma.sql`AND t."requesterId" = ${user.id}`;
  const [row] = await readRows<TicketRow>(
    deps.db,
    Prisma.sql`SELECT t.id, t.subject, t.description, t.priority,
      t.status, t."createdAt", t."updatedAt", t."closedAt", t."requesterId", t."assigneeId", t.version,
      t.guest, t."accessCode", r.name AS "requesterName", r.email AS "requesterEmail", a.name AS "assigneeName"
    FROM "Ticket" t JOIN "User" r ON r.id = t."requesterId" LEFT JOIN "User" a ON a.id = t."assigneeId"
    WHERE t.id = ${id} ${own}`,
  );
  if (!row) return null;
  const visible = staff ? Prisma.empty : Prisma.sql`AND x.internal = FALSE`;
  // Every file of the ticket in one query, given below to the description or to its reply.
  const files = await readRows<FileRow>(
    deps.db,
    Prisma.sql`SELECT f.id, f.name, f.type, f.size, f."contentHash", f."replyId"
    FROM "Attachment" f WHERE f."ticketId" = ${id} ORDER BY f.id`,
  );
  const replies = await readRows<ReplyRow>(
    deps.db,
    Prisma.sql`SELECT x.id, x."ticketId", x."authorId", x.body,
      x.internal, x."emailText", x."createdAt", u.name AS "authorName", u.role AS "authorRole"
    FROM "Reply" x JOIN "User" u ON u.id = x."authorId" WHERE x."ticketId" = ${id} ${visible} ORDER BY x.id`,
  );
  const events = await readRows<EventRow>(
    deps.db,
    Prisma.sql`SELECT x.id, x."ticketId", x."actorId", x.kind,
      x."fromValue", x."toValue", x.internal, x."createdAt", u.name AS "actorName"
    FROM "TicketEvent" x JOIN "User" u ON u.id = x."actorId" WHERE x."ticketId" = ${id} ${visible} ORDER BY x.id`,
  );
  const { requesterName, requesterEmail, assigneeName, ...ticket } = row;
  const filesOf = (replyId: number | null) => files.filter((f) => f.replyId === replyId);
  // A note's files go with the note: a requester, whose replies hold no notes, never gets them.
  return {
    ...ticket,
    requester: { id: ticket.requesterId, name: requesterName, email: requesterEmail },
    assignee: ticket.assigneeId === null ? null : { id: ticket.assigneeId, name: assigneeName! },
    attachments: filesOf(null),
    replies: replies.map(({ authorName, authorRole, ...reply }) => ({
      ...reply,
      author: { id: reply.authorId, name: authorName, role: authorRole },
      attachments: filesOf(reply.id),
    })),
    events: events.map(({ actorName, ...event }) => ({ ...event, actor: { id: event.actorId, name: actorName } })),
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
