import { containsSql, providerOfDeps } from "../db/match.js";
import { readRows } from "../db/reads.js";
import type { Deps } from "../env.js";
import { Prisma } from "../generated/sqlite/client.js";
import { MAX_INT } from "../http/ids.js";
import { conditionsOf, planOf, REQUESTER, type TicketFilters, whereSql, withTagPlan } from "./filters.js";
import { PAGE_SIZE, PRIORITIES, type Priority, type Sort } from "./model.js";
import { excerptOf, searchRegExp } from "./search/excerpt.js";
import { withSearchKey } from "./search/key.js";
import { plannerOf } from "./search/planner.js";

// The lists: filters, sorts and keyset pages, one statement a page; how a search is read is each
// database's own (tickets/search/), behind one interface.

export type { TicketFilters } from "./filters.js";

export type ListedTicket = {
  id: number;
  subject: string;
  priority: string;
  status: string;
  createdAt: Date;
  updatedAt: Date;
  /** The row's version: the queue's bulk form sends it back with each ticket picked (tickets/bulk.ts). */
  version: number;
  /** Opened at a kiosk without an account. */
  guest: boolean;
  /** Who spoke last in public: requester (the desk owes a reply) or staff. */
  lastSpoke: string;
  /** The service clock (sla/due.ts): the next due time while it runs, its at-risk instant, since when it stands still. */
  nextDueAt: Date | null;
  nextRiskAt: Date | null;
  slaPausedAt: Date | null;
  /**
   * On a search: what was searched for, and where it was found when not in the subject (the
   * stretch of the description, reply or internal note around it), so the row can show it.
   */
  found?: { q: string; in?: "description" | "reply" | "note"; excerpt?: string };
  /** The queue's rows (`people`): the ticket's tags, by name. */
  tags?: string[];
  /** Loaded for the queue only (`people`); a requester's own list does not show them. */
  requester?: { id: number; name: string };
  assignee?: { id: number; name: string } | null;
};

const BODY = Prisma.raw("r.body");

type Row = {
  id: number;
  subject: string;
  description?: string;
  priority: string;
  status: string;
  createdAt: Date;
  updatedAt: Date;
  version: number;
  guest: boolean;
  lastSpoke: string;
  nextDueAt: Date | null;
  nextRiskAt: Date | null;
  slaPausedAt: Date | null;
  requesterId?: number;
  requesterName?: string;
  assigneeId?: number | null;
  assigneeName?: string | null;
  /** The tags' names joined by TAG_SEPARATOR (no tag's name can hold it), or null. */
  tagNames?: string | null;
};

const COLUMNS = Prisma.sql`t.id, t.subject, t.priority, t.status, t."createdAt", t."updatedAt", t.version, t.guest, t."lastSpoke",
  t."nextDueAt", t."nextRiskAt", t."slaPausedAt"`;
const PEOPLE = Prisma.sql`, r.id AS "requesterId", r.name AS "requesterName", a.id AS "assigneeId", a.name AS "assigneeName"`;
/**
 * The queue's rows carry their tags in the same statement (a second query and Prisma's relation
 * load cost the queue a tenth of its time): each row's names, joined by a character no tag holds.
 */
const TAG_SEPARATOR = "\u001f";
const TAG_NAMES = {
  sqlite: Prisma.sql`, (SELECT group_concat(g.name, char(31)) FROM "TicketTag" tg JOIN "Tag" g ON g.id = tg."tagId"
    WHERE tg."ticketId" = t.id) AS "tagNames"`,
  postgresql: Prisma.sql`, (SELECT string_agg(g.name, chr(31)) FROM "TicketTag" tg JOIN "Tag" g ON g.id = tg."tagId"
    WHERE tg."ticketId" = t.id) AS "tagNames"`,
};
/**
 * The same join where the search index leads: SQLite's CROSS JOIN keeps the tables in the order
 * written, or a requester filter (r then a constant row) puts the people first and every match of
 * the word is sorted for a page (measured: 37 ms instead of 0.4 at 200,000 tickets).
 */
const REQUESTER_AFTER = Prisma.sql`CROSS JOIN "User" r ON r.id = t."requesterId"`;
const ASSIGNEE = Prisma.sql`LEFT JOIN "User" a ON a.id = t."assigneeId"`;

/** A row as a list shows it: written out field by field (a rest and a spread copied each row twice; an export makes 200,000). */
const listedOf = (row: Row, people: boolean): ListedTicket => {
  const ticket: ListedTicket = {
    id: row.id,
    subject: row.subject,
    priority: row.priority,
    status: row.status,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    version: row.version,
    guest: row.guest,
    lastSpoke: row.lastSpoke,
    nextDueAt: row.nextDueAt,
    nextRiskAt: row.nextRiskAt,
    slaPausedAt: row.slaPausedAt,
  };
  if (people) {
    ticket.requester = { id: row.requesterId!, name: row.requesterName! };
    ticket.assignee = row.assigneeId == null ? null : { id: row.assigneeId, name: row.assigneeName! };
    ticket.tags = row.tagNames ? row.tagNames.split(TAG_SEPARATOR).sort((a, b) => a.localeCompare(b)) : [];
  }
  return ticket;
};

/** A page's order: by id (newest or oldest first), last updated first, or the nearest due time first. */
type Order = "newest" | "oldest" | "updated" | "due";

/**
 * One page of rows: tagged, parameterised SQL (readRows), one statement with the people joined
 * in. The hottest query of the app; Prisma's query builder compiled it anew on every call.
 * `after` is the keyset: the cursor's [updatedAt, id] (or [_, id]).
 */
async function selectPage(
  deps: Deps,
  f: TicketFilters,
  { order, after }: { order: Order; after?: [number, number] },
  take: number,
  people: boolean,
): Promise<ListedTicket[]> {
  const provider = providerOfDeps(deps);
  const planner = plannerOf(provider);
  const source = await planner.sourceOf(deps, f, order === "newest" || order === "oldest");
  // The index's rowid is the ticket id: ordering and bounding by it lets the index do both.
  const id = Prisma.raw(source === "index" ? "s.rowid" : "t.id");
  const keyset = !after
    ? []
    : order === "newest"
      ? [Prisma.sql`${id} < ${after[1]}`]
      : order === "oldest"
        ? [Prisma.sql`${id} > ${after[1]}`]
        : order === "due"
          ? [
              Prisma.sql`(t."nextDueAt" > ${new Date(after[0])} OR (t."nextDueAt" = ${new Date(after[0])} AND t.id > ${after[1]}))`,
            ]
          : [
              Prisma.sql`(t."updatedAt" < ${new Date(after[0])} OR (t."updatedAt" = ${new Date(after[0])} AND t.id < ${after[1]}))`,
            ];
  const orderBy =
    order === "newest"
      ? Prisma.sql`${id} DESC`
      : order === "oldest"
        ? Prisma.sql`${id} ASC`
        : order === "due"
          ? DUE_FIRST
          : UPDATED_FIRST;
  const requester = source === "index" ? REQUESTER_AFTER : REQUESTER;
  const joins = [...(people || f.requesterMatch ? [requester] : []), ...(people ? [ASSIGNEE] : [])];
  const rows = await readRows<Row>(
    deps.db,
    Prisma.sql`SELECT ${COLUMNS}${people ? Prisma.sql`${PEOPLE}${TAG_NAMES[provider]}` : Prisma.empty}
    ${f.q ? Prisma.sql`, t.description` : Prisma.empty}
    FROM ${planner.from(source)} ${joins.length ? Prisma.join(joins, " ") : Prisma.empty}
    ${whereSql([...conditionsOf(provider, f, f.q ? planner.condition(f.q, !!f.searchReplies, source, f.searchKey) : undefined), ...keyset])}
    ORDER BY ${orderBy} LIMIT ${take}`,
    planOf(f),
  );
  const listed = rows.map((row) => listedOf(row, people));
  return f.q ? withFound(deps, f.q, rows, listed, !!f.searchReplies) : listed;
}
const UPDATED_FIRST = Prisma.sql`t."updatedAt" DESC, t.id DESC`;
const DUE_FIRST = Prisma.sql`t."nextDueAt" ASC, t.id ASC`;

/**
 * Where each searched row matched: the subject shows it itself; else the description around it;
 * else (staff) the first reply or internal note that holds it, in one query for the page.
 */
async function withFound(
  deps: Deps,
  q: string,
  rows: Row[],
  listed: ListedTicket[],
  replies: boolean,
): Promise<ListedTicket[]> {
  const inSubject = searchRegExp(q);
  const elsewhere: number[] = [];
  rows.forEach((row, i) => {
    const ticket = listed[i]!;
    ticket.found = { q };
    if (inSubject.test(row.subject)) return;
    const excerpt = excerptOf(row.description ?? "", q);
    if (excerpt) ticket.found = { q, in: "description", excerpt };
    else elsewhere.push(ticket.id);
  });
  if (!replies || !elsewhere.length) return listed;
  const found = await readRows<{ ticketId: number; body: string; internal: boolean }>(
    deps.db,
    Prisma.sql`
    SELECT r."ticketId", r.body, r.internal FROM "Reply" r
    WHERE r."ticketId" IN (${Prisma.join(elsewhere)}) AND ${containsSql(providerOfDeps(deps), BODY, q)}
    ORDER BY r.id`,
  );
  for (const ticket of listed) {
    const reply = found.find((r) => r.ticketId === ticket.id);
    if (reply) ticket.found = { q, in: reply.internal ? "note" : "reply", excerpt: excerptOf(reply.body, q) };
  }
  return listed;
}

const rank = (p: string) => Math.max(0, PRIORITIES.indexOf(p as Priority));

/** The cursor that continues after a ticket, in a sort order. Opaque to people, plain to read. */
function cursorOf(t: Pick<ListedTicket, "id" | "priority" | "updatedAt" | "nextDueAt">, sort: Sort): string {
  if (sort === "updated") return `${t.updatedAt.getTime()}_${t.id}`;
  // 0: among the tickets with no running clock (no due time is ever at 1970-01-01).
  if (sort === "due") return `${t.nextDueAt?.getTime() ?? 0}_${t.id}`;
  if (sort === "priority") return `${rank(t.priority)}_${t.id}`;
  return String(t.id);
}

/** The latest time a date column can hold on both databases (the end of year 9999). */
const MAX_TIME = 253_402_300_799_999;

/** A cursor's two numbers, or undefined for anything no page of ours could have written. */
function parseCursor(cursor: string | undefined): [number, number] | undefined {
  const m = cursor?.match(/^(\d{1,15})(?:_(\d{1,10}))?$/);
  if (!m) return undefined;
  const [first, id] = [Number(m[1]), Number(m[2] ?? m[1])];
  return first <= MAX_TIME && id <= MAX_INT ? [first, id] : undefined;
}

/** A sort made of several keyset walks, one after the other: the rows after the cursor, `take` + 1 at most. */
type Walk = (
  deps: Deps,
  filters: TicketFilters,
  after: [number, number] | undefined,
  take: number,
  people: boolean,
) => Promise<ListedTicket[]>;

/** Urgent first: walk the four priorities from the cursor's, newest first within each. */
const byPriority: Walk = async (deps, filters, after, take, people) => {
  const rows: ListedTicket[] = [];
  const startRank = after ? Math.min(after[0], PRIORITIES.length - 1) : PRIORITIES.length - 1;
  for (let r = startRank; r >= 0 && rows.length <= take; r--) {
    if (filters.priority && filters.priority !== PRIORITIES[r]) continue;
    const page = { order: "newest" as const, after: after && r === after[0] ? after : undefined };
    const atRank = { ...filters, priority: PRIORITIES[r] };
    rows.push(...(await selectPage(deps, atRank, page, take + 1 - rows.length, people)));
  }
  return rows;
};

/**
 * The nearest due time first (index [nextDueAt, id]), then the tickets whose clock does not run
 * (paused, met, no target), newest first: two keyset walks, like the priorities'.
 */
const byDue: Walk = async (deps, filters, after, take, people) => {
  const rows: ListedTicket[] = [];
  if (!after || after[0] > 0)
    rows.push(...(await selectPage(deps, { ...filters, hasDue: true }, { order: "due", after }, take + 1, people)));
  if (rows.length <= take) {
    const page = { order: "newest" as const, after: after?.[0] === 0 ? after : undefined };
    rows.push(...(await selectPage(deps, { ...filters, hasDue: false }, page, take + 1 - rows.length, people)));
  }
  return rows;
};

/**
 * One page of tickets by keyset: the rows after the cursor, never an OFFSET, so a page is as fast at
 * ticket 200,000 as at ticket 1 and a new ticket never shifts or repeats rows.
 */
export async function listTickets(
  deps: Deps,
  filters: TicketFilters,
  cursor?: string,
  { take = PAGE_SIZE, people = false }: { take?: number; people?: boolean } = {},
): Promise<{ tickets: ListedTicket[]; next?: string }> {
  const sort = filters.sort ?? "newest";
  const after = parseCursor(cursor);
  filters = await withSearchKey(deps, providerOfDeps(deps), await withTagPlan(deps.db, providerOfDeps(deps), filters));
  const rows =
    sort === "priority"
      ? await byPriority(deps, filters, after, take, people)
      : sort === "due"
        ? await byDue(deps, filters, after, take, people)
        : await selectPage(deps, filters, { order: sort, after }, take + 1, people);
  const tickets = rows.slice(0, take);
  const next = rows.length > take ? cursorOf(tickets[tickets.length - 1]!, sort) : undefined;
  return { tickets, next };
}

/**
 * The ticket after this one in a list's order (the next a person walking the view would open),
 * or null at its end.
 */
export async function ticketAfter(
  deps: Deps,
  filters: TicketFilters,
  ticket: Pick<ListedTicket, "id" | "priority" | "updatedAt" | "nextDueAt">,
): Promise<number | null> {
  const { tickets } = await listTickets(deps, filters, cursorOf(ticket, filters.sort ?? "newest"), { take: 1 });
  return tickets[0]?.id ?? null;
}
