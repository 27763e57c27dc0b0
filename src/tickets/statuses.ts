import type { Deps } from "../env.js";
import type { STATUSES } from "./model.js";

// The desk's statuses: the four every desk has (in code, translated into every language the UI
// has) and the desk's own (TicketStatus rows, shown as written), each of one kind. The kind says
// what a status does: closed ones are done (the Close and Reopen buttons, closedAt, "Not closed"),
// waiting ones stop the service clock and move back to the desk when the requester answers, open
// and in-progress ones are work to do. Everything that acts on a status asks its kind, never its name.

export const KINDS = ["open", "progress", "waiting", "closed"] as const;
export type Kind = (typeof KINDS)[number];

/** The four, each its kind's default: what a new ticket, Close, Reopen and "Send and set Waiting" set. */
export const DEFAULT_OF: Record<Kind, (typeof STATUSES)[number]> = {
  open: "Open",
  progress: "In progress",
  waiting: "Waiting",
  closed: "Closed",
};
const BUILT_IN: { name: string; kind: Kind }[] = KINDS.map((kind) => ({ name: DEFAULT_OF[kind], kind }));

/** A status: `id` null for the four built in (they cannot be renamed or removed). */
export type StatusInfo = { id: number | null; name: string; kind: Kind };

export class Statuses {
  private readonly kinds: Map<string, Kind>;
  constructor(readonly all: StatusInfo[]) {
    this.kinds = new Map(all.map((s) => [s.name, s.kind]));
  }
  /** A status's kind; a name the desk does not know (an old row) counts as open work. */
  kindOf(name: string): Kind {
    return this.kinds.get(name) ?? "open";
  }
  has(name: string): boolean {
    return this.kinds.has(name);
  }
  isClosed(name: string): boolean {
    return this.kindOf(name) === "closed";
  }
  /** The clock stands still: waiting on the requester, or done. */
  pauses(name: string): boolean {
    const kind = this.kindOf(name);
    return kind === "waiting" || kind === "closed";
  }
  names(): string[] {
    return this.all.map((s) => s.name);
  }
  /** Every status of these kinds, by name: for the SQL that filters on kinds. */
  ofKind(...kinds: Kind[]): string[] {
    return this.all.filter((s) => kinds.includes(s.kind)).map((s) => s.name);
  }
}

/** The four alone: what a desk with none of its own has, and what code without a desk at hand assumes. */
export const DEFAULT_STATUSES = new Statuses(BUILT_IN.map((s) => ({ id: null, ...s })));

/** In kind order, the four first, then the desk's own by name. */
const ordered = (own: { id: number; name: string; kind: string }[]) =>
  new Statuses(
    KINDS.flatMap((kind) => [
      { id: null, name: DEFAULT_OF[kind], kind },
      ...own
        .filter((s) => s.kind === kind)
        .sort((a, b) => a.name.localeCompare(b.name))
        .map((s) => ({ id: s.id, name: s.name, kind })),
    ]),
  );

/**
 * How long an instance trusts what it read: a status added or renamed on another instance (several
 * app instances on one PostgreSQL) reaches this one within this time; on the instance that made
 * the change at once.
 */
export const STATUS_CACHE_MS = 10_000;
const cache = new WeakMap<object, { at: number; statuses: Statuses }>();

/** The desk's statuses, read at most every STATUS_CACHE_MS per instance. */
export async function statusesOf(deps: Pick<Deps, "db">): Promise<Statuses> {
  const hit = cache.get(deps.db);
  if (hit && Date.now() - hit.at < STATUS_CACHE_MS) return hit.statuses;
  const own = await deps.db.ticketStatus.findMany({ select: { id: true, name: true, kind: true } });
  const statuses = ordered(own);
  cache.set(deps.db, { at: Date.now(), statuses });
  return statuses;
}

/** After a change to the desk's statuses: this instance reads them anew at once. */
export const forgetStatuses = (deps: Pick<Deps, "db">) => cache.delete(deps.db);

// The admin's side: add, rename, remove the desk's own. The four built in stay as they are.

/** The longest name a status may have (it is a tab, a badge and an option). */
export const STATUS_NAME_MAX = 40;
export type StatusError = "statuses.missing" | "statuses.long" | "statuses.chars" | "statuses.taken";

/** A status's one spelling: spaces trimmed and single; none of the characters that would read as markup or a filter. */
export function normaliseStatusName(typed: string): { name: string } | { error: StatusError } {
  const name = typed.normalize("NFC").replace(/\s+/g, " ").trim();
  if (!name) return { error: "statuses.missing" };
  if (name.length > STATUS_NAME_MAX) return { error: "statuses.long" };
  if (!/^[\p{L}\p{N}][\p{L}\p{N}\p{M} .,'’()/&+-]*$/u.test(name)) return { error: "statuses.chars" };
  return { name };
}

/** A name no other status has, the four included, in any case ("waiting" is Waiting), nor the filter word "active". */
const clashes = (statuses: Statuses, name: string, except?: number) =>
  name.toLowerCase() === "active" ||
  statuses.all.some((s) => s.id !== except && s.name.toLowerCase() === name.toLowerCase());

export async function addStatus(
  deps: Pick<Deps, "db">,
  typed: string,
  kind: Kind,
): Promise<{ name: string } | { error: StatusError }> {
  const checked = normaliseStatusName(typed);
  if ("error" in checked) return checked;
  forgetStatuses(deps);
  if (clashes(await statusesOf(deps), checked.name)) return { error: "statuses.taken" };
  try {
    await deps.db.ticketStatus.create({ data: { name: checked.name, kind } });
  } catch {
    // Another admin added the same name a moment before: the unique name says so.
    return { error: "statuses.taken" };
  } finally {
    forgetStatuses(deps);
  }
  return checked;
}

/**
 * Renames one of the desk's own statuses, on every ticket that has it, in one transaction (tickets
 * keep their "updated" time and version: nobody changed them). null when there is no such status.
 */
export async function renameStatus(
  deps: Pick<Deps, "db">,
  id: number,
  typed: string,
): Promise<{ from: string; to: string } | { error: StatusError } | null> {
  const checked = normaliseStatusName(typed);
  if ("error" in checked) return checked;
  forgetStatuses(deps);
  const before = await deps.db.ticketStatus.findUnique({ where: { id } });
  if (!before) return null;
  if (before.name === checked.name) return { from: before.name, to: before.name };
  if (clashes(await statusesOf(deps), checked.name, id)) return { error: "statuses.taken" };
  try {
    await deps.db.$transaction([
      deps.db.ticketStatus.update({ where: { id }, data: { name: checked.name } }),
      deps.db.$executeRaw`UPDATE "Ticket" SET status = ${checked.name} WHERE status = ${before.name}`,
    ]);
  } catch {
    return { error: "statuses.taken" };
  } finally {
    forgetStatuses(deps);
  }
  return { from: before.name, to: checked.name };
}

/** Removes one of the desk's own statuses if no ticket has it: "in use" with how many do, null when there is none. */
export async function removeStatus(
  deps: Pick<Deps, "db">,
  id: number,
): Promise<{ removed: string } | { inUse: number; name: string } | null> {
  const answer = await deps.db.$transaction(async (tx) => {
    const status = await tx.ticketStatus.findUnique({ where: { id } });
    if (!status) return null;
    const inUse = await tx.ticket.count({ where: { status: status.name } });
    if (inUse > 0) return { inUse, name: status.name };
    await tx.ticketStatus.deleteMany({ where: { id } });
    return { removed: status.name };
  });
  forgetStatuses(deps);
  return answer;
}

/** Every status with how many tickets have it, for the admin page. */
export async function statusesInUse(deps: Pick<Deps, "db">) {
  forgetStatuses(deps);
  const statuses = await statusesOf(deps);
  const counts = await deps.db.ticket.groupBy({ by: ["status"], _count: { _all: true } });
  const used = new Map(counts.map((c) => [c.status, c._count._all]));
  return statuses.all.map((s) => ({ ...s, tickets: used.get(s.name) ?? 0 }));
}
