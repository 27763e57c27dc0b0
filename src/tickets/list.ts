import { contains } from "../db/match.js";
import type { Deps } from "../env.js";
import { MAX_INT } from "../lib/ids.js";
import { PAGE_SIZE, PRIORITIES, type Priority, type Sort, type StatusFilter } from "./model.js";

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
  /** Loaded for the queue only (`people`); a requester's own list does not show them. */
  requester?: { id: number; name: string };
  assignee?: { id: number; name: string } | null;
};

/** The Prisma filter for a set of list filters; never an `undefined` that would widen it. */
function whereOf(deps: Deps, f: TicketFilters) {
  const where: Record<string, unknown> = {};
  if (f.requesterId !== undefined) where.requesterId = f.requesterId;
  if (f.requesterMatch) {
    where.requester = { OR: [{ name: contains(deps, f.requesterMatch) }, { email: contains(deps, f.requesterMatch) }] };
  }
  if (f.status) where.status = f.status === "active" ? { not: "Closed" } : f.status;
  if (f.priority) where.priority = f.priority;
  if (f.assigneeId !== undefined) where.assigneeId = f.assigneeId;
  if (f.q) {
    const match = contains(deps, f.q);
    where.OR = [
      { subject: match },
      { description: match },
      ...(f.searchReplies ? [{ replies: { some: { body: match } } }] : []),
    ];
  }
  return where;
}

const columns = {
  id: true,
  subject: true,
  priority: true,
  status: true,
  createdAt: true,
  updatedAt: true,
  guest: true,
} as const;
const withPeople = {
  ...columns,
  requester: { select: { id: true, name: true } },
  assignee: { select: { id: true, name: true } },
} as const;

const rank = (p: string) => Math.max(0, PRIORITIES.indexOf(p as Priority));

/** The cursor that continues after a ticket, in a sort order. Opaque to people, plain to read. */
function cursorOf(t: ListedTicket, sort: Sort): string {
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
  select: object,
) {
  const rows: ListedTicket[] = [];
  const where = whereOf(deps, filters);
  const startRank = after ? Math.min(after[0], PRIORITIES.length - 1) : PRIORITIES.length - 1;
  for (let r = startRank; r >= 0 && rows.length <= take; r--) {
    if (filters.priority && filters.priority !== PRIORITIES[r]) continue;
    const idBound = after && r === after[0] ? { id: { lt: after[1] } } : {};
    const page = await deps.db.ticket.findMany({
      where: { ...where, priority: PRIORITIES[r], ...idBound },
      orderBy: { id: "desc" },
      take: take + 1 - rows.length,
      select,
    });
    rows.push(...(page as ListedTicket[]));
  }
  return rows;
}

function keysetOf(sort: Sort, after: [number, number] | undefined) {
  if (!after) return {};
  if (sort === "newest") return { id: { lt: after[1] } };
  if (sort === "oldest") return { id: { gt: after[1] } };
  const at = new Date(after[0]);
  return { OR: [{ updatedAt: { lt: at } }, { updatedAt: at, id: { lt: after[1] } }] };
}

const orderOf = (sort: Sort) =>
  sort === "newest"
    ? [{ id: "desc" as const }]
    : sort === "oldest"
      ? [{ id: "asc" as const }]
      : [{ updatedAt: "desc" as const }, { id: "desc" as const }];

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
  const select = people ? withPeople : columns;
  const sort = filters.sort ?? "newest";
  const after = parseCursor(cursor);
  const rows =
    sort === "priority"
      ? await byPriority(deps, filters, after, take, select)
      : ((await deps.db.ticket.findMany({
          where: { AND: [whereOf(deps, filters), keysetOf(sort, after)] },
          orderBy: orderOf(sort),
          take: take + 1,
          select,
        })) as ListedTicket[]);
  const tickets = rows.slice(0, take);
  const next = rows.length > take ? cursorOf(tickets[tickets.length - 1]!, sort) : undefined;
  return { tickets, next };
}

/** How many tickets match the filters in each status, for the queue's status tabs. */
export async function countByStatus(deps: Deps, filters: TicketFilters): Promise<Record<string, number>> {
  const grouped = await deps.db.ticket.groupBy({
    by: ["status"],
    where: whereOf(deps, { ...filters, status: undefined }),
    _count: { _all: true },
  });
  return Object.fromEntries(grouped.map((g) => [g.status, g._count._all]));
}
