import type { CurrentUser, Deps } from "../env.js";
import { isAdmin, isStaff } from "../users/authorization.js";

// Canned replies: a title and a text an agent puts in the composer, its placeholders filled for the
// ticket. Shared ones (no owner) are kept by admins and offered to every agent; personal ones are
// their owner's alone. Who may see or change one is decided here, once.

/** What a placeholder may name, and how a ticket fills it. */
export const PLACEHOLDERS = [
  "requester.name",
  "requester.first_name",
  "ticket.id",
  "ticket.subject",
  "agent.name",
  "desk.name",
] as const;
export type Placeholder = (typeof PLACEHOLDERS)[number];

const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;

/** The placeholders a text names that we do not know, as written ("{{customer}}"), each once. */
export function unknownPlaceholders(text: string): string[] {
  const unknown = new Set<string>();
  for (const m of text.matchAll(PLACEHOLDER))
    if (!(PLACEHOLDERS as readonly string[]).includes(m[1]!)) unknown.add(m[0]);
  return [...unknown];
}

export type FillWith = { requesterName: string; ticketId: number; subject: string; agentName: string; desk: string };

/** The text with each placeholder filled for a ticket ("Dear {{requester.first_name}}" -> "Dear Rita"). */
export function fill(text: string, w: FillWith): string {
  const values: Record<Placeholder, string> = {
    "requester.name": w.requesterName,
    "requester.first_name": w.requesterName.trim().split(/\s+/)[0] ?? w.requesterName,
    "ticket.id": String(w.ticketId),
    "ticket.subject": w.subject,
    "agent.name": w.agentName,
    "desk.name": w.desk,
  };
  return text.replace(PLACEHOLDER, (whole, name: string) => values[name as Placeholder] ?? whole);
}

export type Canned = { id: number; title: string; body: string; ownerId: number | null };
const SELECT = { id: true, title: true, body: true, ownerId: true } as const;
/** (A name, not a literal: a `title:` string in an object reads to the literals test as a page title.) */
const ASCENDING = "asc" as const;

/** The replies an agent may use: the shared ones and their own, shared first, by title. */
export async function cannedFor(deps: Deps, user: CurrentUser, q?: string): Promise<Canned[]> {
  const rows = await deps.db.cannedReply.findMany({
    where: { OR: [{ ownerId: null }, { ownerId: user.id }] },
    select: SELECT,
    orderBy: [{ title: ASCENDING }, { id: ASCENDING }],
  });
  const mine = rows.filter((r) => r.ownerId !== null);
  const shared = rows.filter((r) => r.ownerId === null);
  const all = [...shared, ...mine];
  if (!q) return all;
  const needle = q.toLocaleLowerCase();
  return all.filter((r) => r.title.toLocaleLowerCase().includes(needle));
}

/** One reply the agent may use, or null (someone else's, or none). */
export async function usableCanned(deps: Deps, user: CurrentUser, id: number): Promise<Canned | null> {
  if (!isStaff(user)) return null;
  const row = await deps.db.cannedReply.findUnique({ where: { id }, select: SELECT });
  return row && (row.ownerId === null || row.ownerId === user.id) ? row : null;
}

/** Whether the person may change or delete it: an admin a shared one, its owner a personal one. */
export const mayEdit = (user: CurrentUser, row: Pick<Canned, "ownerId">) =>
  row.ownerId === null ? isAdmin(user) : row.ownerId === user.id;

export type CannedInput = { title: string; body: string; shared: boolean };

export const saveCanned = (deps: Deps, user: CurrentUser, input: CannedInput, id?: number) => {
  const data = { title: input.title, body: input.body, ownerId: input.shared && isAdmin(user) ? null : user.id };
  return id === undefined
    ? deps.db.cannedReply.create({ data, select: SELECT })
    : deps.db.cannedReply.update({ where: { id }, data, select: SELECT });
};

export const deleteCanned = (deps: Deps, id: number) => deps.db.cannedReply.deleteMany({ where: { id } });
