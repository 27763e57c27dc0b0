import { randomBytes } from "node:crypto";
import type { CurrentUser, Deps } from "../env.js";
import type { Db, Tx } from "../db/prisma.js";
import { providerOf } from "../db/database-url.js";
import { isStaff } from "./authorization.js";

export const PRIORITIES = ["Low", "Medium", "High", "Urgent"] as const;
export const STATUSES = ["Open", "In progress", "Waiting", "Closed"] as const;
/** What a list can filter on: one status, or "active", every ticket not closed (the work still to do). */
export const STATUS_FILTERS = ["active", ...STATUSES] as const;
export const SORTS = ["newest", "oldest", "updated", "priority"] as const;
export type Priority = (typeof PRIORITIES)[number];
export type Status = (typeof STATUSES)[number];
export type StatusFilter = (typeof STATUS_FILTERS)[number];
export type Sort = (typeof SORTS)[number];
export const PAGE_SIZE = 25;
/** Ticket ids are 32-bit integers in both databases; anything else is simply not a ticket. */
export const MAX_ID = 2_147_483_647;

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
  /** Loaded for the queue only (`people`); a requester's own list does not show them. */
  requester?: { id: number; name: string };
  assignee?: { id: number; name: string } | null;
};

/** Case-insensitive substring match on both databases (SQLite's LIKE already ignores ASCII case). */
export function contains(deps: Deps, q: string) {
  return providerOf(deps.config.databaseUrl) === "postgresql"
    ? ({ contains: q, mode: "insensitive" } as { contains: string })
    : { contains: q };
}

/** The Prisma filter for a set of list filters; never an `undefined` that would widen it. */
export function whereOf(deps: Deps, f: TicketFilters) {
  const where: Record<string, unknown> = {};
  if (f.requesterId !== undefined) where.requesterId = f.requesterId;
  if (f.requesterMatch)
    where.requester = { OR: [{ name: contains(deps, f.requesterMatch) }, { email: contains(deps, f.requesterMatch) }] };
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

const columns = { id: true, subject: true, priority: true, status: true, createdAt: true, updatedAt: true } as const;
const withPeople = {
  ...columns,
  requester: { select: { id: true, name: true } },
  assignee: { select: { id: true, name: true } },
} as const;

const rank = (p: string) => Math.max(0, PRIORITIES.indexOf(p as Priority));

/** The cursor that continues after a ticket, in a sort order. Opaque to people, plain to read. */
export function cursorOf(t: ListedTicket, sort: Sort): string {
  if (sort === "updated") return `${t.updatedAt.getTime()}_${t.id}`;
  if (sort === "priority") return `${rank(t.priority)}_${t.id}`;
  return String(t.id);
}

function parseCursor(cursor: string | undefined): [number, number] | undefined {
  const m = cursor?.match(/^(\d{1,15})(?:_(\d{1,10}))?$/);
  if (!m) return undefined;
  return m[2] === undefined ? [Number(m[1]), Number(m[1])] : [Number(m[1]), Number(m[2])];
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
  const db = deps.db;
  const select = people ? withPeople : columns;
  const sort = filters.sort ?? "newest";
  const where = whereOf(deps, filters);
  const after = parseCursor(cursor);
  let rows: ListedTicket[];
  if (sort === "priority") {
    // Urgent first: walk the four priorities from the cursor's, newest first within each.
    rows = [];
    const startRank = after ? after[0] : PRIORITIES.length - 1;
    for (let r = Math.min(startRank, PRIORITIES.length - 1); r >= 0 && rows.length <= take; r--) {
      if (filters.priority && filters.priority !== PRIORITIES[r]) continue;
      const idBound = after && r === startRank ? { id: { lt: after[1] } } : {};
      rows.push(
        ...(await db.ticket.findMany({
          where: { ...where, priority: PRIORITIES[r], ...idBound },
          orderBy: { id: "desc" },
          take: take + 1 - rows.length,
          select,
        })),
      );
    }
  } else {
    const keyset = !after
      ? {}
      : sort === "newest"
        ? { id: { lt: after[1] } }
        : sort === "oldest"
          ? { id: { gt: after[1] } }
          : {
              OR: [{ updatedAt: { lt: new Date(after[0]) } }, { updatedAt: new Date(after[0]), id: { lt: after[1] } }],
            };
    const orderBy =
      sort === "newest"
        ? [{ id: "desc" as const }]
        : sort === "oldest"
          ? [{ id: "asc" as const }]
          : [{ updatedAt: "desc" as const }, { id: "desc" as const }];
    rows = await db.ticket.findMany({ where: { AND: [where, keyset] }, orderBy, take: take + 1, select });
  }
  const more = rows.length > take;
  const tickets = rows.slice(0, take);
  return { tickets, next: more ? cursorOf(tickets[tickets.length - 1]!, sort) : undefined };
}

/** A ticket the user may see, with what the ticket page shows, or null (missing and forbidden alike). */
export async function findTicket(deps: Deps, user: CurrentUser, id: number) {
  if (!Number.isSafeInteger(id) || id < 1 || id > MAX_ID) return null;
  const staff = isStaff(user);
  return deps.db.ticket.findFirst({
    where: { id, ...(staff ? {} : { requesterId: user.id }) },
    include: {
      requester: { select: { id: true, name: true, email: true } },
      assignee: { select: { id: true, name: true } },
      replies: {
        where: staff ? {} : { internal: false },
        orderBy: { id: "asc" },
        include: { author: { select: { id: true, name: true, role: true } } },
      },
      events: {
        where: staff ? {} : { internal: false },
        orderBy: { id: "asc" },
        include: { actor: { select: { id: true, name: true } } },
      },
    },
  });
}
export type TicketDetail = NonNullable<Awaited<ReturnType<typeof findTicket>>>;

export const newFormToken = () => randomBytes(18).toString("base64url");

/**
 * Creates a ticket once per form token: a second submission of the same form (double click,
 * refresh, retry) returns the first ticket instead of making another.
 */
export async function createTicket(
  deps: Deps,
  user: CurrentUser,
  input: { subject: string; description: string; priority: Priority },
  formToken: string | undefined,
): Promise<{ id: number; duplicate: boolean }> {
  const { db } = deps;
  const earlier = async () =>
    formToken
      ? await db.formToken.findFirst({ where: { token: formToken, userId: user.id, ticketId: { not: null } } })
      : null;
  const seen = await earlier();
  if (seen?.ticketId) return { id: seen.ticketId, duplicate: true };
  try {
    const id = await db.$transaction(async (tx) => {
      const ticket = await tx.ticket.create({ data: { ...input, requesterId: user.id } });
      await tx.ticketEvent.create({
        data: { ticketId: ticket.id, actorId: user.id, kind: "created", toValue: input.priority },
      });
      if (formToken) await tx.formToken.create({ data: { token: formToken, userId: user.id, ticketId: ticket.id } });
      return ticket.id;
    });
    return { id, duplicate: false };
  } catch (error) {
    // Two submissions raced: the unique token rolled this one back; answer with the winner.
    const winner = (error as { code?: string }).code === "P2002" ? await earlier() : null;
    if (winner?.ticketId) return { id: winner.ticketId, duplicate: true };
    throw error;
  }
}

export class StaleTicketError extends Error {}

/**
 * Applies a change only if the ticket is as the person last saw it (its updatedAt), and records
 * the event in the same transaction. A stale change throws StaleTicketError and writes nothing.
 */
export async function changeTicket(
  db: Db,
  ticketId: number,
  seenVersion: number | undefined,
  data: Record<string, unknown>,
  event: { actorId: number; kind: string; fromValue?: string | null; toValue?: string | null; internal?: boolean },
  extra?: (tx: Tx) => Promise<unknown>,
): Promise<void> {
  await db.$transaction(async (tx) => {
    const where = { id: ticketId, ...(seenVersion !== undefined ? { updatedAt: new Date(seenVersion) } : {}) };
    const { count } = await tx.ticket.updateMany({ where, data: { ...data, updatedAt: new Date() } });
    if (count === 0) throw new StaleTicketError();
    await tx.ticketEvent.create({ data: { ticketId, ...event } });
    if (extra) await extra(tx);
  });
}
