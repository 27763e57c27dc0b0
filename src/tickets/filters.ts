import type { Provider } from "../db/database-url.js";
import { containsSql } from "../db/match.js";
import type { Db } from "../db/prisma.js";
import { readRows } from "../db/reads.js";
import { Prisma } from "../generated/sqlite/client.js";
import { type DueFilter, PAGE_SIZE, type Priority, type Sort, type StatusFilter } from "./model.js";

// A list's filters as SQL conditions, the same on both databases; the search condition itself
// is each database's own (tickets/search/).

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
  /**
   * The part of `q` looked up in the search index when its other words are common in the desk
   * (search/key.ts); the whole of `q` is then checked on each ticket found.
   */
  searchKey?: string;
  /** Who spoke last in public: "requester" is the queue's "Needs reply" (tickets not closed). */
  lastSpoke?: "requester" | "staff";
  /** Overdue, or at risk, at `now` (read from the stored due times, sla/due.ts). */
  due?: { filter: DueFilter; now: Date };
  /** The statuses of the closed kind (statuses.ts), for "active" and "Needs reply"; the built-in Closed alone if not given. */
  closed?: readonly string[];
  /**
   * The statuses whose clock stands still (waiting and closed kinds, statuses.ts): no ticket in one
   * has a due time (sla/due.ts), so a due filter in one of them is empty without asking. PostgreSQL's
   * statistics cannot know it (they take status and due time as independent): counting the overdue
   * Waiting tickets read all 1,000,000 to find none, 111 ms a status.
   */
  stopped?: readonly string[];
  /** Tags the tickets must all have (names as tags/tags.ts writes them). */
  tags?: string[];
  /**
   * How each tag is tested (withTagPlan): "list", the tag's tickets read from its index and looked
   * up (a rare tag: a few rows); "probe", each ticket the walk meets checked against the tag (a
   * common tag: the walk meets one soon). A tag not planned is a list.
   */
  tagPlan?: Record<string, "list" | "probe">;
  /** Each tag's id, looked up once (withTagPlan): a value PostgreSQL plans by (its statistics per tag); null for no such tag. */
  tagIds?: Record<string, number | null>;
  /** Only tickets whose clock runs (true) or does not (false): the two halves of the "due" order. */
  hasDue?: boolean;
  sort?: Sort;
};

/**
 * The WHERE conditions for a set of list filters; the requester's scope is one of them. `search`
 * is the search's own condition (tickets/search/), given when the filters have a `q`.
 */
export function conditionsOf(provider: Provider, f: TicketFilters, search?: Prisma.Sql): Prisma.Sql[] {
  const where: Prisma.Sql[] = [];
  if (f.requesterId !== undefined) where.push(Prisma.sql`t."requesterId" = ${f.requesterId}`);
  if (f.requesterMatch) {
    const [name, email] = [Prisma.raw("r.name"), Prisma.raw("r.email")];
    where.push(
      Prisma.sql`(${containsSql(provider, name, f.requesterMatch)} OR ${containsSql(provider, email, f.requesterMatch)})`,
    );
  }
  const open = notClosed(f.closed);
  if (f.status === "active") where.push(open);
  else if (f.status) where.push(Prisma.sql`t.status = ${f.status}`);
  if (f.priority) where.push(Prisma.sql`t.priority = ${f.priority}`);
  if (f.lastSpoke === "requester") where.push(Prisma.sql`t."lastSpoke" = 'requester' AND ${open}`);
  else if (f.lastSpoke) where.push(Prisma.sql`t."lastSpoke" = ${f.lastSpoke}`);
  if (f.assigneeId === null) where.push(Prisma.sql`t."assigneeId" IS NULL`);
  else if (f.assigneeId !== undefined) where.push(Prisma.sql`t."assigneeId" = ${f.assigneeId}`);
  if (f.due && f.status && f.stopped?.includes(f.status)) where.push(Prisma.sql`1 = 0`);
  if (f.due?.filter === "overdue") where.push(Prisma.sql`t."nextDueAt" <= ${f.due.now}`);
  else if (f.due) where.push(Prisma.sql`t."nextRiskAt" <= ${f.due.now} AND t."nextDueAt" > ${f.due.now}`);
  if (f.hasDue !== undefined)
    where.push(f.hasDue ? Prisma.sql`t."nextDueAt" IS NOT NULL` : Prisma.sql`t."nextDueAt" IS NULL`);
  for (const name of f.tags ?? []) where.push(tagCondition(f, name));
  if (f.q && search) where.push(search);
  return where;
}

/** A status not of the closed kind: `<> 'Closed'` for a desk with no closed status of its own, as the indexes were planned for. */
function notClosed(closed: readonly string[] = ["Closed"]) {
  return closed.length === 1
    ? Prisma.sql`t.status <> ${closed[0]}`
    : Prisma.sql`t.status NOT IN (${Prisma.join(closed.map((s) => Prisma.sql`${s}`))})`;
}

export const whereSql = (conditions: Prisma.Sql[]) =>
  conditions.length ? Prisma.sql`WHERE ${Prisma.join(conditions, " AND ")}` : Prisma.empty;

export const REQUESTER = Prisma.sql`JOIN "User" r ON r.id = t."requesterId"`;

/**
 * A search or a requester's name is planned for its own values on PostgreSQL (readRows' planEach):
 * one plan kept for every word or name suits the common ones and reads the whole desk for the rare.
 */
export const planOf = (f: TicketFilters) => ({ planEach: !!(f.q || f.requesterMatch || f.tags?.length) });

/** One tag's test: by its id when looked up (none: nothing matches), else by its name. */
function tagCondition(f: TicketFilters, name: string): Prisma.Sql {
  if (f.tagIds?.[name] === null) return Prisma.sql`1 = 0`;
  const tag = tagIdSql(f, name);
  return f.tagPlan?.[name] === "probe"
    ? Prisma.sql`EXISTS (SELECT 1 FROM "TicketTag" tt WHERE tt."ticketId" = t.id AND tt."tagId" = ${tag})`
    : Prisma.sql`t.id IN (SELECT tt."ticketId" FROM "TicketTag" tt WHERE tt."tagId" = ${tag})`;
}

/** The SQL naming one tag, for the counts that read from its index. */
export const tagIdSql = (f: TicketFilters, name: string) => {
  const id = f.tagIds?.[name];
  return id === undefined ? Prisma.sql`(SELECT g.id FROM "Tag" g WHERE g.name = ${name})` : Prisma.sql`${id ?? 0}`;
};

/** A tag on more tickets than this is probed ticket by ticket; on fewer, its tickets are listed. */
export const RARE_TAG = 1000;
/** On a large desk a tag is listed up to this many tickets (listUpTo). */
export const LISTED_TAG_MAX = 5000;

/**
 * Up to how many tickets a tag's are listed on a desk whose newest ticket is `top`. A list costs
 * one look-up per ticket of the tag (n); a probe walks the desk until a page is found, about
 * PAGE_SIZE × top / n tickets: even at n² = PAGE_SIZE × top. Measured at 1,000,000 tickets, a tag on
 * 1,001 of them (one past RARE_TAG) was probed: 20 ms a page, where its list takes 3.
 */
export const listUpTo = (top: number) =>
  Math.min(LISTED_TAG_MAX, Math.max(RARE_TAG, Math.floor(Math.sqrt(PAGE_SIZE * top))));

/**
 * The filters with each tag's test chosen by how many tickets carry it (one index range each,
 * counted up to LISTED_TAG_MAX): the rarest tag, if rare for the desk's size (listUpTo), lists its
 * tickets; every other is probed. SQLite
 * plans an IN list the same for every tag (its statistics hold one average for the tag index), so a
 * tag on a quarter of the desk built a list of 50,000 ids for a page of 25; PostgreSQL's statistics
 * know each tag's share and it plans the same SQL well either way.
 */
export async function withTagPlan(db: Db, provider: Provider, f: TicketFilters): Promise<TicketFilters> {
  if (!f.tags?.length || f.tagIds) return f;
  // One statement: each tag's id and, on SQLite, how many tickets carry it (up to LISTED_TAG_MAX + 1)
  // and the newest ticket's id (the desk's size, read from the end of its table).
  const sized = provider === "sqlite" && !f.tagPlan;
  const size = sized
    ? Prisma.sql`, (SELECT COUNT(*) FROM (SELECT 1 FROM "TicketTag" tt WHERE tt."tagId" = g.id LIMIT ${LISTED_TAG_MAX + 1}) few) AS n,
      (SELECT MAX(id) FROM "Ticket") AS top`
    : Prisma.empty;
  const names = Prisma.join(f.tags.map((name) => Prisma.sql`${name}`));
  const found = await readRows<{ id: number; name: string; n?: number | bigint; top?: number | bigint | null }>(
    db,
    Prisma.sql`SELECT g.id, g.name ${size} FROM "Tag" g WHERE g.name IN (${names})`,
  );
  const tagIds = Object.fromEntries(f.tags.map((name) => [name, found.find((g) => g.name === name)?.id ?? null]));
  if (!sized) return { ...f, tagIds };
  const sizes = f.tags.map((name) => ({ name, n: Number(found.find((g) => g.name === name)?.n ?? 0) }));
  sizes.sort((a, b) => a.n - b.n);
  const upTo = listUpTo(Number(found[0]?.top ?? 0));
  const tagPlan = Object.fromEntries(
    sizes.map(({ name, n }, i) => [name, i === 0 && n <= upTo ? "list" : "probe"] as const),
  );
  // Rarest first: the counts read the matches from the first tag's index (counts.ts).
  return { ...f, tags: sizes.map((s) => s.name), tagPlan, tagIds };
}
