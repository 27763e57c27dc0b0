import type { Provider } from "../db/database-url.js";
import { containsPattern, containsSql, providerOfDeps } from "../db/match.js";
import { readRows } from "../db/reads.js";
import type { Deps } from "../env.js";
import { Prisma } from "../generated/sqlite/client.js";
import { excerptOf, searchRegExp } from "../lib/excerpt.js";
import { MAX_INT } from "../lib/ids.js";
import { PAGE_SIZE, PRIORITIES, type Priority, type Sort, STATUSES, type StatusFilter } from "./model.js";

export type TicketFilters = {
  requesterId?: number;
  /** The queue's requester filter: part of the requester's name or email. */
  requesterMatch?: string;
  status?: StatusFilter;
  priority?: Priority;
  assigneeId?: number | null;
  q?: string;
  /** Search replies and notes too (staff only). */
  searchReplies?: boolean;
  /** Who spoke last in public: "requester" is the queue's "Needs reply" (tickets not closed). */
  lastSpoke?: "requester" | "staff";
  sort?: Sort;
};

export type ListedTicket = {
  id: number;
  subject: string;
  priority: string;
  status: string;
  createdAt: Date;
  updatedAt: Date;
  /** Opened at a kiosk without an account. */
  guest: boolean;
  /** Who spoke last in public: requester (the desk owes a reply) or staff. */
  lastSpoke: string;
  /**
   * On a search: what was searched for, and where it was found when not in the subject (the
   * stretch of the description, reply or internal note around it), so the row can show it.
   */
  found?: { q: string; in?: "description" | "reply" | "note"; excerpt?: string };
  /** Loaded for the queue only (`people`); a requester's own list does not show them. */
  requester?: { id: number; name: string };
  assignee?: { id: number; name: string } | null;
};

const [SUBJECT, DESCRIPTION, BODY] = [Prisma.raw("t.subject"), Prisma.raw("t.description"), Prisma.raw("r.body")];

/** FTS5's trigram index answers phrases of three characters or more; shorter ones scan. */
const indexable = (q: string) => [...q].length >= 3;

/**
 * The FTS5 query for a search: what was typed as one phrase (double quotes doubled, so FTS syntax
 * is plain text), in the columns this person may search: subject and description, and for staff
 * the replies and internal notes too.
 */
const ftsQuery = (q: string, replies: boolean) => {
  const phrase = `"${q.replace(/"/g, '""')}"`;
  return replies ? phrase : `{subject description} : ${phrase}`;
};

/**
 * How a page is read. "index": SQLite walks the search index in ticket id order (newest or oldest
 * match first) and stops after a page, so a search costs the same at 200,000 tickets as at 1,000;
 * "table": the ticket table in the list's order, a search being a condition on it; "filtered":
 * the few tickets the filters alone leave, read from their index, each one's text (and replies)
 * read for the words, so a common word with a filter that leaves little is not a walk through
 * every ticket the word is in.
 */
type Source = "index" | "table" | "filtered";

/**
 * The part of a filter set one of Ticket's indexes answers on its own (see the indexes in
 * models.prisma), the most selective there is: counting what it leaves costs no more than what it
 * leaves, and whatever the whole set leaves is among those tickets.
 */
function indexedPart(f: TicketFilters): TicketFilters | undefined {
  const status = f.status === "active" ? undefined : f.status;
  if (f.assigneeId !== undefined) return { assigneeId: f.assigneeId, status };
  if (f.requesterId !== undefined) return { requesterId: f.requesterId, status };
  return status ? { status, priority: f.priority } : undefined;
}

/** Under this many tickets in the indexed filters alone, a search reads each one's text (a few ms at most). */
export const FEW_FILTERED = 500;

async function sourceOf(deps: Deps, provider: Provider, f: TicketFilters, byId: boolean): Promise<Source> {
  if (provider !== "sqlite" || !f.q || !indexable(f.q)) return "table";
  const part = indexedPart(f);
  if (part) {
    const [{ n }] = (await readRows<{ n: number | bigint }>(
      deps.db,
      Prisma.sql`SELECT COUNT(*) AS n FROM (SELECT 1 FROM "Ticket" t
        ${whereSql(conditionsOf(provider, part))} LIMIT ${FEW_FILTERED}) few`,
    )) as [{ n: number | bigint }];
    if (Number(n) < FEW_FILTERED) return "filtered";
  }
  return byId ? "index" : "table";
}

/**
 * The search condition: `q` anywhere in the subject or description (and, for staff, a reply or
 * note), case-folded, every character literal. SQLite asks its FTS5 trigram table; PostgreSQL the
 * ticket's search row, from its pg_trgm indexes for a rare word, row by row beside the tickets
 * for a common one (the planner's choice).
 */
function searchCondition(provider: Provider, q: string, replies: boolean, source: Source): Prisma.Sql {
  if (provider === "sqlite" && indexable(q)) {
    const match = Prisma.sql`"TicketSearch" MATCH ${ftsQuery(q, replies)}`;
    if (source === "index") return match;
    // The matching ids gathered once; the few tickets an indexed filter leaves are read as they are
    // (below): FTS5 answers "MATCH ... AND rowid = ?" by reading the word's whole index, not by a
    // seek (measured: 57 us a ticket at 1,000 tickets, 17.5 ms at 200,000).
    if (source !== "filtered") return Prisma.sql`t.id IN (SELECT rowid FROM "TicketSearch" WHERE ${match})`;
  }
  if (provider === "postgresql") {
    // The ticket's search row (TicketSearch, kept in lower case by triggers): lower() on both sides
    // is what ILIKE does, without lowering every row read.
    const pattern = Prisma.sql`lower(${containsPattern(q)})`;
    const text = replies
      ? Prisma.sql`(ts.own LIKE ${pattern} OR ts.thread LIKE ${pattern})`
      : Prisma.sql`ts.own LIKE ${pattern}`;
    return Prisma.sql`EXISTS (SELECT 1 FROM "TicketSearch" ts WHERE ts.id = t.id AND ${text})`;
  }
  // SQLite, a phrase of one or two characters or the few tickets an indexed filter leaves: each
  // ticket's own text and its replies (by the ticket's index) read as they are.
  const own = Prisma.sql`${containsSql(provider, SUBJECT, q)} OR ${containsSql(provider, DESCRIPTION, q)}`;
  return replies
    ? Prisma.sql`(${own} OR EXISTS (SELECT 1 FROM "Reply" rp WHERE rp."ticketId" = t.id AND ${containsSql(provider, REPLY_BODY, q)}))`
    : Prisma.sql`(${own})`;
}
const REPLY_BODY = Prisma.raw("rp.body");

/**
 * A search or a requester's name is planned for its own values on PostgreSQL (readRows' planEach):
 * one plan kept for every word or name suits the common ones and reads the whole desk for the rare.
 */
const planOf = (f: TicketFilters) => ({ planEach: !!(f.q || f.requesterMatch) });

/** The WHERE conditions for a set of list filters; the requester's scope is one of them. */
function conditionsOf(provider: Provider, f: TicketFilters, source: Source = "table"): Prisma.Sql[] {
  const where: Prisma.Sql[] = [];
  if (f.requesterId !== undefined) where.push(Prisma.sql`t."requesterId" = ${f.requesterId}`);
  if (f.requesterMatch) {
    const [name, email] = [Prisma.raw("r.name"), Prisma.raw("r.email")];
    where.push(
      Prisma.sql`(${containsSql(provider, name, f.requesterMatch)} OR ${containsSql(provider, email, f.requesterMatch)})`,
    );
  }
  if (f.status === "active") where.push(Prisma.sql`t.status <> 'Closed'`);
  else if (f.status) where.push(Prisma.sql`t.status = ${f.status}`);
  if (f.priority) where.push(Prisma.sql`t.priority = ${f.priority}`);
  if (f.lastSpoke === "requester") where.push(Prisma.sql`t."lastSpoke" = 'requester' AND t.status <> 'Closed'`);
  else if (f.lastSpoke) where.push(Prisma.sql`t."lastSpoke" = ${f.lastSpoke}`);
  if (f.assigneeId === null) where.push(Prisma.sql`t."assigneeId" IS NULL`);
  else if (f.assigneeId !== undefined) where.push(Prisma.sql`t."assigneeId" = ${f.assigneeId}`);
  if (f.q) where.push(searchCondition(provider, f.q, !!f.searchReplies, source));
  return where;
}

const whereSql = (conditions: Prisma.Sql[]) =>
  conditions.length ? Prisma.sql`WHERE ${Prisma.join(conditions, " AND ")}` : Prisma.empty;

type Row = {
  id: number;
  subject: string;
  description?: string;
  priority: string;
  status: string;
  createdAt: Date;
  updatedAt: Date;
  guest: boolean;
  lastSpoke: string;
  requesterId?: number;
  requesterName?: string;
  assigneeId?: number | null;
  assigneeName?: string | null;
};

const COLUMNS = Prisma.sql`t.id, t.subject, t.priority, t.status, t."createdAt", t."updatedAt", t.guest, t."lastSpoke"`;
const PEOPLE = Prisma.sql`, r.id AS "requesterId", r.name AS "requesterName", a.id AS "assigneeId", a.name AS "assigneeName"`;
const REQUESTER = Prisma.sql`JOIN "User" r ON r.id = t."requesterId"`;
/**
 * The same join where the search index leads: SQLite's CROSS JOIN keeps the tables in the order
 * written, or a requester filter (r then a constant row) puts the people first and every match of
 * the word is sorted for a page (measured: 37 ms instead of 0.4 at 200,000 tickets).
 */
const REQUESTER_AFTER = Prisma.sql`CROSS JOIN "User" r ON r.id = t."requesterId"`;
const ASSIGNEE = Prisma.sql`LEFT JOIN "User" a ON a.id = t."assigneeId"`;

const listedOf = (row: Row, people: boolean): ListedTicket => {
  const { requesterId, requesterName, assigneeId, assigneeName, description: _, ...ticket } = row;
  if (!people) return ticket;
  return {
    ...ticket,
    requester: { id: requesterId!, name: requesterName! },
    assignee: assigneeId == null ? null : { id: assigneeId, name: assigneeName! },
  };
};

/** The tables a list reads: the search index first when it leads (CROSS JOIN keeps that order). */
const fromOf = (source: Source) =>
  source === "index" ? Prisma.sql`"TicketSearch" s CROSS JOIN "Ticket" t ON t.id = s.rowid` : Prisma.sql`"Ticket" t`;

/** A page's order: by id (newest or oldest first), or last updated first. */
type Order = "newest" | "oldest" | "updated";

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
  const source = await sourceOf(deps, provider, f, order !== "updated");
  // The index's rowid is the ticket id: ordering and bounding by it lets the index do both.
  const id = Prisma.raw(source === "index" ? "s.rowid" : "t.id");
  const keyset = !after
    ? []
    : order === "newest"
      ? [Prisma.sql`${id} < ${after[1]}`]
      : order === "oldest"
        ? [Prisma.sql`${id} > ${after[1]}`]
        : [
            Prisma.sql`(t."updatedAt" < ${new Date(after[0])} OR (t."updatedAt" = ${new Date(after[0])} AND t.id < ${after[1]}))`,
          ];
  const orderBy =
    order === "newest" ? Prisma.sql`${id} DESC` : order === "oldest" ? Prisma.sql`${id} ASC` : UPDATED_FIRST;
  const requester = source === "index" ? REQUESTER_AFTER : REQUESTER;
  const joins = [...(people || f.requesterMatch ? [requester] : []), ...(people ? [ASSIGNEE] : [])];
  const rows = await readRows<Row>(
    deps.db,
    Prisma.sql`SELECT ${COLUMNS}${people ? PEOPLE : Prisma.empty}
    ${f.q ? Prisma.sql`, t.description` : Prisma.empty}
    FROM ${fromOf(source)} ${joins.length ? Prisma.join(joins, " ") : Prisma.empty}
    ${whereSql([...conditionsOf(provider, f, source), ...keyset])}
    ORDER BY ${orderBy} LIMIT ${take}`,
    planOf(f),
  );
  const listed = rows.map((row) => listedOf(row, people));
  return f.q ? withFound(deps, f.q, rows, listed, !!f.searchReplies) : listed;
}
const UPDATED_FIRST = Prisma.sql`t."updatedAt" DESC, t.id DESC`;

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
function cursorOf(t: Pick<ListedTicket, "id" | "priority" | "updatedAt">, sort: Sort): string {
  if (sort === "updated") return `${t.updatedAt.getTime()}_${t.id}`;
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

/** Urgent first: walk the four priorities from the cursor's, newest first within each. */
async function byPriority(
  deps: Deps,
  filters: TicketFilters,
  after: [number, number] | undefined,
  take: number,
  people: boolean,
) {
  const rows: ListedTicket[] = [];
  const startRank = after ? Math.min(after[0], PRIORITIES.length - 1) : PRIORITIES.length - 1;
  for (let r = startRank; r >= 0 && rows.length <= take; r--) {
    if (filters.priority && filters.priority !== PRIORITIES[r]) continue;
    const page = { order: "newest" as const, after: after && r === after[0] ? after : undefined };
    const atRank = { ...filters, priority: PRIORITIES[r] };
    rows.push(...(await selectPage(deps, atRank, page, take + 1 - rows.length, people)));
  }
  return rows;
}

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
  const rows =
    sort === "priority"
      ? await byPriority(deps, filters, after, take, people)
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
  ticket: Pick<ListedTicket, "id" | "priority" | "updatedAt">,
): Promise<number | null> {
  const { tickets } = await listTickets(deps, filters, cursorOf(ticket, filters.sort ?? "newest"), { take: 1 });
  return tickets[0]?.id ?? null;
}

/**
 * A count stops at this many tickets: past it, "more than 1,000" says what a person needs, and
 * counting on would cost as much as the tickets counted (the queue's Closed tab at 200,000 tickets).
 */
export const COUNT_LIMIT = 1000;

/** A count of COUNT_LIMIT + 1 means "more than COUNT_LIMIT". */
export const overLimit = (n: number) => n > COUNT_LIMIT;

/**
 * A search estimated to match more than this many times COUNT_LIMIT tickets (with the filters) is
 * not counted at all: PostgreSQL's planner estimates (estimatedMatches), SQLite samples its newest
 * matches (sampledCounts). Counting "up to 1,000" reads tickets until it has 1,000 matches, and
 * with a common word and a filter that is tens of thousands of rows at 200,000 tickets (neither
 * index helps: a trigram bitmap costs all the matches, an FTS walk every match the filter drops).
 * The margin of four covers the estimates' error (within 2x in bench/README.md's measurements); a
 * wrong guess costs only the numbers on the status tabs, never a ticket in the list.
 */
export const ESTIMATE_FACTOR = 4;

/**
 * How many tickets PostgreSQL's planner expects the filters' subject-and-description search to
 * match (EXPLAIN: planning only, no rows read). The replies are left out on purpose: the planner
 * can only guess at "or in a reply" (it guesses half the table), and without them the estimate is
 * of a part of the matches, so a large one means the whole is larger still.
 */
async function estimatedMatches(deps: Deps, f: TicketFilters): Promise<number> {
  const own = { ...f, searchReplies: false };
  const [row] = await readRows<{ "QUERY PLAN": [{ Plan: { "Plan Rows": number } }] }>(
    deps.db,
    Prisma.sql`EXPLAIN (FORMAT JSON) SELECT 1 FROM "Ticket" t ${f.requesterMatch ? REQUESTER : Prisma.empty}
    ${whereSql(conditionsOf("postgresql", own))}`,
  );
  return row?.["QUERY PLAN"][0]?.Plan["Plan Rows"] ?? 0;
}

/**
 * How many tickets match the filters in each status, for the queue's status tabs (statuses with
 * none left out). Without a search each status is counted from its index up to COUNT_LIMIT + 1,
 * so the tabs cost the same at 200,000 tickets as at 1,000. A search is counted as a whole up to
 * COUNT_LIMIT + 1 matches; past that it has no counts (null), since a common word would make every
 * status's count a walk through its matches.
 */
export async function countByStatus(deps: Deps, filters: TicketFilters): Promise<Record<string, number> | null> {
  const provider = providerOfDeps(deps);
  const f = { ...filters, status: undefined };
  const joins = f.requesterMatch ? REQUESTER : Prisma.empty;
  if (!f.q) {
    const perStatus = STATUSES.map(
      (status) => Prisma.sql`SELECT CAST(${status} AS TEXT) AS status, (SELECT COUNT(*) FROM (SELECT 1 FROM "Ticket" t
      ${joins} ${whereSql(conditionsOf(provider, { ...f, status }))} LIMIT ${COUNT_LIMIT + 1}) few) AS n`,
    );
    return countsOf(await readRows<CountRow>(deps.db, Prisma.join(perStatus, " UNION ALL "), planOf(f)));
  }
  if (provider === "postgresql" && (await estimatedMatches(deps, f)) > ESTIMATE_FACTOR * COUNT_LIMIT) return null;
  const source = await sourceOf(deps, provider, f, true);
  if (source === "index") {
    const sampled = await sampledCounts(deps, f);
    if (sampled !== undefined) return sampled;
  }
  const counts = countsOf(
    await readRows<CountRow>(
      deps.db,
      Prisma.sql`SELECT m.status, COUNT(*) AS n
      FROM (SELECT t.status FROM ${fromOf(source)} ${joins} ${whereSql(conditionsOf(provider, f, source))}
      LIMIT ${COUNT_LIMIT + 1}) m GROUP BY m.status`,
      planOf(f),
    ),
  );
  return overLimit(totalOf(counts)) ? null : counts;
}

/**
 * SQLite's way to the same decision as estimatedMatches: the newest COUNT_LIMIT + 1 matches of the
 * search alone (a walk of the search index that stops there, as a page does), each with whether
 * the filters keep it. Fewer than that: every match was seen, and the counts are exact. Else the
 * share the filters keep, carried over the whole desk by the ids the walk spanned, estimates the
 * filtered matches: above ESTIMATE_FACTOR times the limit, no counts (null); below, undefined (count).
 */
async function sampledCounts(deps: Deps, f: TicketFilters): Promise<Record<string, number> | null | undefined> {
  const filters = conditionsOf("sqlite", { ...f, q: undefined });
  const kept = filters.length ? Prisma.join(filters, " AND ") : Prisma.sql`1`;
  const rows = await readRows<{
    status: string;
    seen: number | bigint;
    kept: number | bigint;
    lowest: number | bigint;
  }>(
    deps.db,
    Prisma.sql`SELECT t.status, COUNT(*) AS seen, SUM(CASE WHEN ${kept} THEN 1 ELSE 0 END) AS kept, MIN(t.id) AS lowest
    FROM (SELECT rowid FROM "TicketSearch" WHERE "TicketSearch" MATCH ${ftsQuery(f.q!, !!f.searchReplies)}
      ORDER BY rowid DESC LIMIT ${COUNT_LIMIT + 1}) s
    JOIN "Ticket" t ON t.id = s.rowid ${f.requesterMatch ? REQUESTER : Prisma.empty}
    GROUP BY t.status`,
  );
  const seen = rows.reduce((n, row) => n + Number(row.seen), 0);
  const keptCounts = countsOf(rows.map((row) => ({ status: row.status, n: row.kept })));
  const keptTotal = totalOf(keptCounts);
  if (!overLimit(seen)) return keptCounts;
  if (overLimit(keptTotal)) return null;
  const lowest = Math.min(...rows.map((row) => Number(row.lowest)));
  const [span] = await readRows<{ hi: number | bigint; lo: number | bigint }>(
    deps.db,
    // Each its own subquery: SQLite reads one end of the primary key for a lone MIN or MAX only.
    Prisma.sql`SELECT (SELECT MAX(id) FROM "Ticket") AS hi, (SELECT MIN(id) FROM "Ticket") AS lo`,
  );
  const [hi, lo] = [Number(span!.hi), Number(span!.lo)];
  const estimate = (keptTotal * (hi - lo + 1)) / Math.max(1, hi - lowest + 1);
  return estimate > ESTIMATE_FACTOR * COUNT_LIMIT ? null : undefined;
}

type CountRow = { status: string; n: number | bigint };
const totalOf = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);
const countsOf = (rows: CountRow[]): Record<string, number> =>
  Object.fromEntries(rows.filter((row) => Number(row.n) > 0).map((row) => [row.status, Number(row.n)]));
