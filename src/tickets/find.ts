import type { Provider } from "../db/database-url.js";
import { providerOfDeps } from "../db/match.js";
import { readRows } from "../db/reads.js";
import type { CurrentUser, Deps } from "../env.js";
import { Prisma } from "../generated/sqlite/client.js";
import { isStaff } from "../users/authorization.js";
import type { ServiceClock } from "./model.js";

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
  lastSpoke: string;
  claimedEmail: string | null;
  mergedIntoId: number | null;
  requesterName: string;
  requesterEmail: string;
  assigneeName: string | null;
} & ServiceClock;
type FileRow = { id: number; name: string; type: string; size: number; contentHash: string; replyId: number | null };
type ReplyRow = {
  id: number;
  ticketId: number;
  authorId: number;
  body: string;
  internal: boolean;
  emailText: string | null;
  createdAt: Date;
  fromTicketId: number | null;
  opening: boolean;
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

/** What a column of a related row is, for reading it back out of JSON. */
type Kind = "value" | "date" | "boolean";
type Fields = Record<string, [Prisma.Sql, Kind]>;

const FILE: Fields = {
  id: [Prisma.sql`f.id`, "value"],
  name: [Prisma.sql`f.name`, "value"],
  type: [Prisma.sql`f.type`, "value"],
  size: [Prisma.sql`f.size`, "value"],
  contentHash: [Prisma.sql`f."contentHash"`, "value"],
  replyId: [Prisma.sql`f."replyId"`, "value"],
};
const REPLY: Fields = {
  id: [Prisma.sql`x.id`, "value"],
  ticketId: [Prisma.sql`x."ticketId"`, "value"],
  authorId: [Prisma.sql`x."authorId"`, "value"],
  body: [Prisma.sql`x.body`, "value"],
  internal: [Prisma.sql`x.internal`, "boolean"],
  emailText: [Prisma.sql`x."emailText"`, "value"],
  createdAt: [Prisma.sql`x."createdAt"`, "date"],
  fromTicketId: [Prisma.sql`x."fromTicketId"`, "value"],
  opening: [Prisma.sql`x.opening`, "boolean"],
  authorName: [Prisma.sql`u.name`, "value"],
  authorRole: [Prisma.sql`u.role`, "value"],
};
const EVENT: Fields = {
  id: [Prisma.sql`x.id`, "value"],
  ticketId: [Prisma.sql`x."ticketId"`, "value"],
  actorId: [Prisma.sql`x."actorId"`, "value"],
  kind: [Prisma.sql`x.kind`, "value"],
  fromValue: [Prisma.sql`x."fromValue"`, "value"],
  toValue: [Prisma.sql`x."toValue"`, "value"],
  internal: [Prisma.sql`x.internal`, "boolean"],
  createdAt: [Prisma.sql`x."createdAt"`, "date"],
  actorName: [Prisma.sql`u.name`, "value"],
};

const TAG: Fields = {
  id: [Prisma.sql`g.id`, "value"],
  name: [Prisma.sql`g.name`, "value"],
};

/**
 * The related rows of `rest` (FROM ... WHERE ...) as one JSON array column, in id order, on either
 * database: PostgreSQL's json_agg, SQLite's json_group_array (empty: `[]` on both).
 */
function jsonRows(provider: Provider, fields: Fields, order: Prisma.Sql, rest: Prisma.Sql) {
  const pairs = Prisma.join(
    Object.entries(fields).map(([key, [column]]) => Prisma.sql`${Prisma.raw(`'${key}'`)}, ${column}`),
  );
  return provider === "postgresql"
    ? Prisma.sql`COALESCE((SELECT json_agg(json_build_object(${pairs}) ORDER BY ${order}) ${rest}), '[]'::json)`
    : Prisma.sql`(SELECT json_group_array(json_object(${pairs}) ORDER BY ${order}) ${rest})`;
}

/**
 * The rows of a jsonRows column as $queryRaw would have given them: dates as Dates (PostgreSQL
 * writes a UTC timestamp without its zone, SQLite the text Prisma stored), booleans as booleans.
 */
function fromJson<T>(provider: Provider, fields: Fields, value: unknown): T[] {
  const rows = (typeof value === "string" ? JSON.parse(value) : value) as Record<string, unknown>[];
  for (const row of rows)
    for (const [key, [, kind]] of Object.entries(fields)) {
      const v = row[key];
      if (v === null || kind === "value") continue;
      if (kind === "boolean") row[key] = Boolean(v);
      else row[key] = new Date(provider === "postgresql" ? `${v}Z` : (v as string));
    }
  return rows as T[];
}

/**
 * A ticket the user may see, with what the ticket page shows, or null (missing and forbidden
 * alike): requesters their own tickets without internal notes, staff every ticket.
 *
 * One statement (readRows): the ticket with its people, and its files, replies (with their
 * authors) and events (with their actors) as JSON arrays beside it. The ticket page is the hottest
 * read after the lists: Prisma's query builder compiled its six-relation query anew on every
 * view, and four statements cost four round trips on PostgreSQL.
 * tests/tickets/find.test.ts holds it to exactly what that Prisma query returned.
 */
export async function findTicket(deps: Deps, user: CurrentUser, id: number) {
  const provider = providerOfDeps(deps);
  const staff = isStaff(user);
  const own = staff ? Prisma.empty : Prisma.sql`AND t."requesterId" = ${user.id}`;
  const visible = staff ? Prisma.empty : Prisma.sql`AND x.internal = FALSE`;
  // A requester sees what a merge brought from a ticket of their own, never another person's words
  // (those stay on that person's merged ticket: mergedView).
  const theirs = staff
    ? Prisma.empty
    : Prisma.sql`AND (x."fromTicketId" IS NULL OR EXISTS (SELECT 1 FROM "Ticket" m WHERE m.id = x."fromTicketId" AND m."requesterId" = t."requesterId"))`;
  // Every file of the ticket, given below to the description or to its reply.
  const files = jsonRows(provider, FILE, Prisma.sql`f.id`, Prisma.sql`FROM "Attachment" f WHERE f."ticketId" = t.id`);
  // In the order they were written: a merge brings older messages in with their own times.
  const replies = jsonRows(
    provider,
    REPLY,
    Prisma.sql`x."createdAt", x.id`,
    Prisma.sql`FROM "Reply" x JOIN "User" u ON u.id = x."authorId" WHERE x."ticketId" = t.id ${visible} ${theirs}`,
  );
  const events = jsonRows(
    provider,
    EVENT,
    Prisma.sql`x.id`,
    Prisma.sql`FROM "TicketEvent" x JOIN "User" u ON u.id = x."actorId" WHERE x."ticketId" = t.id ${visible}`,
  );
  // Tags are for staff: a requester's page reads none.
  const tags = jsonRows(
    provider,
    TAG,
    Prisma.sql`g.name`,
    Prisma.sql`FROM "TicketTag" tt JOIN "Tag" g ON g.id = tt."tagId" WHERE tt."ticketId" = t.id ${staff ? Prisma.empty : Prisma.sql`AND 1 = 0`}`,
  );
  const [found] = await readRows<TicketRow & { files: unknown; replies: unknown; events: unknown; tags: unknown }>(
    deps.db,
    Prisma.sql`SELECT t.id, t.subject, t.description, t.priority,
      t.status, t."createdAt", t."updatedAt", t."closedAt", t."requesterId", t."assigneeId", t.version,
      t.guest, t."accessCode", t."lastSpoke", t."claimedEmail", t."mergedIntoId",
      t."firstResponseDueAt", t."resolutionDueAt", t."firstResponseAt", t."slaPausedAt", t."slaPausedMinutes", t."nextDueAt", t."nextRiskAt",
      r.name AS "requesterName", r.email AS "requesterEmail", a.name AS "assigneeName",
      ${files} AS files, ${replies} AS replies, ${events} AS events, ${tags} AS tags
    FROM "Ticket" t JOIN "User" r ON r.id = t."requesterId" LEFT JOIN "User" a ON a.id = t."assigneeId"
    WHERE t.id = ${id} ${own}`,
  );
  if (!found) return null;
  const { files: fileJson, replies: replyJson, events: eventJson, tags: tagJson, ...row } = found;
  let [fileRows, replyRows] = [
    fromJson<FileRow>(provider, FILE, fileJson),
    fromJson<ReplyRow>(provider, REPLY, replyJson),
  ];
  const eventRows = fromJson<EventRow>(provider, EVENT, eventJson);
  // A merged ticket's own words now live on the survivor: read back from there (a rare page).
  if (row.mergedIntoId !== null) ({ fileRows, replyRows } = await mergedView(deps, row.id, staff, fileRows, replyRows));
  const { requesterName, requesterEmail, assigneeName, ...ticket } = row;
  const filesOf = (replyId: number | null) => fileRows.filter((f) => f.replyId === replyId);
  // A note's files go with the note: a requester, whose replies hold no notes, never gets them.
  return {
    ...ticket,
    requester: { id: ticket.requesterId, name: requesterName, email: requesterEmail },
    assignee: ticket.assigneeId === null ? null : { id: ticket.assigneeId, name: assigneeName! },
    attachments: filesOf(null),
    replies: replyRows.map(({ authorName, authorRole, ...reply }) => ({
      ...reply,
      author: { id: reply.authorId, name: authorName, role: authorRole },
      attachments: filesOf(reply.id),
    })),
    events: eventRows.map(({ actorName, ...event }) => ({ ...event, actor: { id: event.actorId, name: actorName } })),
    tags: fromJson<{ id: number; name: string }>(provider, TAG, tagJson),
  };
}

/**
 * A merged ticket as it was: its replies (and for staff its notes), now on the survivor, with
 * their files; its opening message's files are its description's again. Links to them stay on
 * this ticket's URL (`ticketId`), so its requester opens them here.
 */
async function mergedView(deps: Deps, id: number, staff: boolean, files: FileRow[], replies: ReplyRow[]) {
  const provider = providerOfDeps(deps);
  const visible = staff ? Prisma.empty : Prisma.sql`AND x.internal = FALSE`;
  const [row] = await readRows<{ replies: unknown; files: unknown }>(
    deps.db,
    Prisma.sql`SELECT ${jsonRows(provider, REPLY, Prisma.sql`x."createdAt", x.id`, Prisma.sql`FROM "Reply" x JOIN "User" u ON u.id = x."authorId" WHERE x."fromTicketId" = ${id} ${visible}`)} AS replies,
      ${jsonRows(provider, FILE, Prisma.sql`f.id`, Prisma.sql`FROM "Attachment" f JOIN "Reply" x ON x.id = f."replyId" WHERE x."fromTicketId" = ${id} ${visible}`)} AS files`,
  );
  const moved = fromJson<ReplyRow>(provider, REPLY, row!.replies);
  const opening = moved.find((r) => r.opening);
  const movedFiles = fromJson<FileRow>(provider, FILE, row!.files).map((f) =>
    f.replyId === opening?.id ? { ...f, replyId: null } : f,
  );
  return {
    fileRows: [...files, ...movedFiles],
    replyRows: [...replies, ...moved.filter((r) => !r.opening).map((r) => ({ ...r, ticketId: id }))],
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
