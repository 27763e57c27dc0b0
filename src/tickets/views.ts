import { readRows } from "../db/reads.js";
import type { CurrentUser, Deps } from "../env.js";
import { Prisma } from "../generated/sqlite/client.js";
import { filtersOf, queryOfView } from "../http/queue-view.js";
import { isAdmin } from "../users/authorization.js";
import { COUNT_LIMIT } from "./count-limit.js";
import { countByStatus } from "./counts.js";
import type { Statuses } from "./statuses.js";

// Saved views: a queue view (its query string) kept under a name, personal or shared with every
// agent (kept by admins), shown in the queue's navigation with how many tickets each holds.

export const VIEW_NAME_MAX = 60;
/** The most views one person keeps (their own), and the most shared ones. */
export const VIEWS_MAX = 30;

export type SavedView = { id: number; name: string; query: string; ownerId: number | null };
type Person = Pick<CurrentUser, "id" | "role">;

/** The views this person sees: the shared ones, then their own, each by name. */
export async function viewsFor(deps: Deps, me: Person): Promise<SavedView[]> {
  // On every queue page: one statement on the driver (readRows), not Prisma's query builder.
  const rows = await readRows<SavedView>(
    deps.db,
    Prisma.sql`SELECT id, name, query, "ownerId" FROM "SavedView" WHERE "ownerId" IS NULL OR "ownerId" = ${me.id}
    ORDER BY name ASC, id ASC`,
  );
  return [...rows.filter((v) => v.ownerId === null), ...rows.filter((v) => v.ownerId !== null)];
}

/** Shared views are the admins' to change; one's own, one's own. */
export const mayChange = (me: Person, view: Pick<SavedView, "ownerId">) =>
  view.ownerId === null ? isAdmin(me) : view.ownerId === me.id;

/** Whether the name is taken among the views of the same scope (shared, or this person's). */
async function taken(deps: Deps, ownerId: number | null, name: string, except?: number) {
  const same = await deps.db.savedView.findMany({ where: { ownerId }, select: { id: true, name: true } });
  return same.some((v) => v.id !== except && v.name.toLocaleLowerCase() === name.toLocaleLowerCase());
}

export type SaveOutcome = { view: SavedView } | { error: "views.taken" | "views.full" | "views.notYours" };

/** Keeps a view; `shared` (admins only) for every agent. */
export async function saveView(
  deps: Deps,
  me: Person,
  input: { name: string; query: string; shared: boolean },
): Promise<SaveOutcome> {
  if (input.shared && !isAdmin(me)) return { error: "views.notYours" };
  const ownerId = input.shared ? null : me.id;
  if (await taken(deps, ownerId, input.name)) return { error: "views.taken" };
  if ((await deps.db.savedView.count({ where: { ownerId } })) >= VIEWS_MAX) return { error: "views.full" };
  const view = await deps.db.savedView.create({
    data: { name: input.name, query: input.query, ownerId },
    select: { id: true, name: true, query: true, ownerId: true },
  });
  return { view };
}

/** The view of this id if this person sees it; null otherwise (another's own view is not theirs to know of). */
export async function visibleView(deps: Deps, me: Person, id: number): Promise<SavedView | null> {
  const view = await deps.db.savedView.findUnique({
    where: { id },
    select: { id: true, name: true, query: true, ownerId: true },
  });
  return view && (view.ownerId === null || view.ownerId === me.id) ? view : null;
}

export async function renameView(
  deps: Deps,
  me: Person,
  view: SavedView,
  name: string,
): Promise<"done" | "views.taken" | "views.notYours"> {
  if (!mayChange(me, view)) return "views.notYours";
  if (await taken(deps, view.ownerId, name, view.id)) return "views.taken";
  await deps.db.savedView.update({ where: { id: view.id }, data: { name } });
  return "done";
}

export async function deleteView(deps: Deps, me: Person, view: SavedView): Promise<"done" | "views.notYours"> {
  if (!mayChange(me, view)) return "views.notYours";
  await deps.db.savedView.deleteMany({ where: { id: view.id } });
  return "done";
}

/**
 * How many tickets each view holds now, up to COUNT_LIMIT (past it: COUNT_LIMIT + 1, "more
 * than"); a search too common to count: null. Read as the queue's status tabs are (counts.ts),
 * summed over the statuses the view's own status filter keeps.
 */
export async function viewCounts(
  deps: Deps,
  me: Person,
  views: SavedView[],
  statuses: Statuses,
): Promise<Map<number, number | null>> {
  const now = deps.clock.now();
  const out = new Map<number, number | null>();
  for (const view of views) {
    const query = queryOfView(view.query);
    const filters = filtersOf(query, me.id, now, statuses);
    const counts = await countByStatus(deps, filters);
    if (!counts) {
      out.set(view.id, null);
      continue;
    }
    const kept =
      query.status === "active"
        ? statuses.ofKind("open", "progress", "waiting")
        : query.status
          ? [query.status]
          : statuses.names();
    const total = kept.reduce((n, s) => n + (counts[s] ?? 0), 0);
    out.set(view.id, Math.min(total, COUNT_LIMIT + 1));
  }
  return out;
}
