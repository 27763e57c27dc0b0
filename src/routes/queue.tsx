import { type Context, Hono } from "hono";
import { z } from "zod";
import type { FieldErrors } from "../../views/components/field.js";
import type { BulkState } from "../../views/queue/bulk.js";
import { QueuePage, QueueResults, type QueueResultsProps, StartViewForm, viewOf } from "../../views/queue/index.js";
import { SavedViewsNav, type ViewListed, ViewsPage, viewUrl } from "../../views/queue/views.js";
import type { AppEnv } from "../env.js";
import { requireUser, userOf } from "../http/auth/middleware.js";
import { renderError } from "../http/errors.js";
import { setFlash } from "../http/flash.js";
import { formBody, formValues, readForm, withoutBidiControls, withoutNul } from "../http/forms.js";
import { done, fragment, isPartial, refuseForm, seeOther } from "../http/htmx.js";
import { parseId } from "../http/ids.js";
import { rememberList } from "../http/last-list.js";
import { firstPageUrl, moreRows, nextPageUrl, wantsRows } from "../http/lists.js";
import { filtersOf, type QueueQuery, queryOfView, queueQuery } from "../http/queue-view.js";
import { msg } from "../i18n/translate.js";
import { normaliseTag, TAGS_PER_TICKET } from "../tags/tags.js";
import { BULK_MAX, bulkChange, pickedOf } from "../tickets/bulk.js";
import { countByStatus } from "../tickets/counts.js";
import { csvAnswer, exportCsv, exportName } from "../tickets/export.js";
import { listTickets } from "../tickets/list.js";
import { PRIORITIES } from "../tickets/model.js";
import {
  deleteView,
  mayChange,
  renameView,
  saveView,
  VIEW_NAME_MAX,
  viewCounts,
  viewsFor,
  visibleView,
} from "../tickets/views.js";
import { can, DEFAULT_START_VIEW } from "../users/authorization.js";
import { activeStaff, setStartView } from "../users/people.js";

// GET /queue: every ticket for agents, filtered, searched, sorted; every filter in the query string,
// so a view can be bookmarked and shared.
export const queue = new Hono<AppEnv>();
queue.use(requireUser(can.useQueue));

queue.get("/", async (c) => {
  const query = queueQuery.parse(c.req.query());
  if (wantsRows(c)) {
    const { deps } = c.var;
    const filters = filtersOf(query, userOf(c).id, deps.clock.now(), c.var.statuses);
    const { tickets, next } = await listTickets(deps, filters, query.cursor, { people: true });
    return moreRows(c, tickets, nextPageUrl("/queue", query, next), { picked: () => false });
  }
  rememberList(c);
  return showQueue(c, await queueProps(c, query));
});

/** GET /queue/export.csv?view: every ticket of the view (filters, search, sort), as CSV. */
queue.get("/export.csv", (c) => {
  const { deps } = c.var;
  const query = queueQuery.parse(c.req.query());
  const now = deps.clock.now();
  const filters = filtersOf(query, userOf(c).id, now, c.var.statuses);
  return csvAnswer(exportCsv(deps, filters, c.var.i18n, true), exportName("queue", viewOf(query), now));
});

/** What the queue shows at a view; `bulk`: the bulk form as it comes back (its choices, errors, ticked rows). */
async function queueProps(
  c: Context<AppEnv>,
  query: QueueQuery,
  bulk?: BulkState,
  saveView?: QueueResultsProps["saveView"],
): Promise<QueueResultsProps> {
  const { deps } = c.var;
  const me = userOf(c);
  const filters = filtersOf(query, me.id, deps.clock.now(), c.var.statuses);
  const { tickets, next } = await listTickets(deps, filters, query.cursor, { people: true });
  const nextUrl = nextPageUrl("/queue", query, next);
  const firstUrl = firstPageUrl("/queue", query);
  const page = { rows: tickets, first: !query.cursor, last: !next };
  const [counts, staff] = await Promise.all([countByStatus(deps, filters, page), activeStaff(deps)]);
  // The saved views sit outside the results: a whole page lists them (with their counts).
  const views = isPartial(c) ? undefined : await listedViews(c, true);
  return { tickets, nextUrl, firstUrl, query, counts, staff, me: me.id, bulk, saveView, views };
}

/** The saved views this person sees, with what they may do to each, and (`counted`) each one's count. */
async function listedViews(c: Context<AppEnv>, counted: boolean): Promise<ViewListed[]> {
  const me = userOf(c);
  const views = await viewsFor(c.var.deps, me);
  const counts = counted ? await viewCounts(c.var.deps, me, views, c.var.statuses) : undefined;
  return views.map((v) => ({ ...v, count: counts?.get(v.id), mine: mayChange(me, v) }));
}

const viewForm = z.object({
  view: z.string().max(1000).catch(""),
  viewName: z
    .string()
    .transform((name) => withoutBidiControls(name).trim().replace(/\s+/g, " "))
    .pipe(z.string().min(1, msg("views.nameMissing")).max(VIEW_NAME_MAX, msg("views.nameLong"))),
  shared: z.literal("1").optional().catch(undefined),
});

/**
 * POST /queue/views: the view on screen kept under a name (cleaned to the queue's own filters),
 * then that view with its name among the saved ones; 422 with the name kept when it cannot be.
 */
queue.post("/views", async (c) => {
  const form = await readForm(c, viewForm);
  const sent = form.ok ? form.data.view : (form.values.view ?? "");
  const query = queryOfView(sent);
  const view = viewOf(query);
  const refuse = async (errors: FieldErrors) =>
    showQueue(c, await queueProps(c, query, undefined, { values: form.values, errors }), 422);
  if (!form.ok) return refuse(form.errors);
  const me = userOf(c);
  const saved = await saveView(c.var.deps, me, { name: form.data.viewName, query: view, shared: !!form.data.shared });
  if ("error" in saved) return refuse({ viewName: c.var.i18n.t(saved.error) });
  const message = c.var.i18n.t("views.saved", { name: saved.view.name });
  return done(c, message, viewUrl(view), async () => (
    <>
      <QueueResults {...(await queueProps(c, query))} />
      <SavedViewsNav views={await listedViews(c, true)} current={view} oob />
    </>
  ));
});

/** GET /queue/views: the views to open, rename or remove. */
queue.get("/views", async (c) =>
  c.render(<ViewsPage views={await listedViews(c, false)} />, { title: c.var.i18n.t("views.title") }),
);

/** The view of the URL as this person may change it: 404 when they cannot see it, 403 when it is not theirs to change. */
async function changeableView(c: Context<AppEnv>) {
  const id = parseId(c.req.param("id") ?? "");
  const view = id === null ? null : await visibleView(c.var.deps, userOf(c), id);
  if (!view) return { refused: c.notFound() };
  if (!mayChange(userOf(c), view))
    return { refused: renderError(c, 403, c.var.i18n.t("error.forbiddenTitle"), c.var.i18n.t("views.notYours")) };
  return { view };
}

/** POST /queue/views/:id: a new name; 422 with the page and the message by the box. */
queue.post("/views/:id{[0-9]+}", async (c) => {
  const { view, refused } = await changeableView(c);
  if (refused) return refused;
  const values = await formValues(c);
  const parsed = viewForm.shape.viewName.safeParse(values[`name-${view.id}`] ?? "");
  const { t } = c.var.i18n;
  const outcome = parsed.success ? await renameView(c.var.deps, userOf(c), view, parsed.data) : null;
  if (outcome !== "done") {
    const message = parsed.success
      ? t(outcome as "views.taken")
      : t(parsed.error.issues[0]!.message as "views.nameMissing", { max: VIEW_NAME_MAX });
    const page = <ViewsPage views={await listedViews(c, false)} errors={{ id: view.id, message }} />;
    return refuseForm(c, 422, page, t("views.title"));
  }
  setFlash(c, t("views.renamed", { name: parsed.data! }));
  return seeOther(c, "/queue/views");
});

/** POST /queue/views/:id/delete */
queue.post("/views/:id{[0-9]+}/delete", async (c) => {
  const { view, refused } = await changeableView(c);
  if (refused) return refused;
  await deleteView(c.var.deps, userOf(c), view);
  setFlash(c, c.var.i18n.t("views.deleted", { name: view.name }));
  return seeOther(c, "/queue/views");
});

/** The whole queue page, or its results alone for htmx; 422 when the bulk form comes back to be fixed. */
function showQueue(c: Context<AppEnv>, props: QueueResultsProps, status: 200 | 422 = 200) {
  c.status(status);
  if (isPartial(c)) return fragment(c, <QueueResults {...props} />);
  return c.render(<QueuePage {...props} />, { title: c.var.i18n.t("queue.title"), refused: status === 422 });
}

/** The bulk form's fields: the view it was sent from, the ticked rows, and what to do to them. */
const bulkForm = z.object({
  view: z.string().max(1000).catch(""),
  cursor: z.string().max(40).optional().catch(undefined),
  select: z.enum(["all", "none"]).optional().catch(undefined),
  bulkAssignee: z.string().max(20).catch(""),
  bulkStatus: z.string().max(40).catch(""),
  bulkPriority: z.string().max(20).catch(""),
  addTag: z.string().max(200).catch(""),
  removeTag: z.string().max(200).catch(""),
});

/**
 * POST /queue/bulk: one change to the ticked tickets (tickets/bulk.ts), then the same view with
 * what changed and what did not; "Select all on this page" (select=all|none) shows the page again
 * with every box ticked (or none), changing nothing.
 */
queue.post("/bulk", async (c) => {
  const { t, list } = c.var.i18n;
  const { fields } = await formBody(c);
  const last = Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, withoutNul(v.at(-1) ?? "")]));
  const form = bulkForm.parse(last);
  const query = { ...queryOfView(form.view), cursor: form.cursor };
  const picked = [...new Map((fields.t ?? []).flatMap((v) => pickedOf(v) ?? []).map((p) => [p.id, p])).values()];
  const values = {
    bulkAssignee: form.bulkAssignee,
    bulkStatus: form.bulkStatus,
    bulkPriority: form.bulkPriority,
    addTag: form.addTag,
    removeTag: form.removeTag,
  };
  const again = async (bulk: BulkState, status: 200 | 422 = 200) =>
    showQueue(c, await queueProps(c, query, { values, ...bulk }), status);
  if (form.select) return again({ checked: form.select === "all" ? "all" : [] });

  const errors: FieldErrors = {};
  const me = userOf(c);
  const assignee = form.bulkAssignee;
  const assigneeId =
    assignee === ""
      ? undefined
      : assignee === "me"
        ? me.id
        : assignee === "nobody"
          ? null
          : (parseId(assignee) ?? undefined);
  if (assigneeId === undefined && assignee !== "") errors.bulkAssignee = t("change.chooseAssignee");
  if (form.bulkStatus && !c.var.statuses.has(form.bulkStatus)) errors.bulkStatus = t("change.chooseStatus");
  const priority = PRIORITIES.find((p) => p === form.bulkPriority);
  if (form.bulkPriority && !priority) errors.bulkPriority = t("change.choosePriority");
  const tagOf = (field: "addTag" | "removeTag") => {
    if (!form[field].trim()) return undefined;
    const tag = normaliseTag(form[field]);
    if ("error" in tag) errors[field] = t(tag.error);
    return "name" in tag ? tag.name : undefined;
  };
  const [addTag, removeTag] = [tagOf("addTag"), tagOf("removeTag")];
  if (addTag && addTag === removeTag) errors.removeTag = t("bulk.sameTag");
  const wanted = {
    ...(assigneeId !== undefined && !errors.bulkAssignee ? { assigneeId } : {}),
    ...(form.bulkStatus && !errors.bulkStatus ? { status: form.bulkStatus } : {}),
    ...(priority ? { priority } : {}),
    ...(addTag ? { addTag } : {}),
    ...(removeTag ? { removeTag } : {}),
  };
  if (!picked.length) errors.tickets = t("bulk.chooseTickets");
  else if (picked.length > BULK_MAX) errors.tickets = t("bulk.tooMany", { max: BULK_MAX });
  if (!Object.keys(errors).length && !Object.keys(wanted).length) errors.tickets = t("bulk.chooseChange");
  const checked = picked.map((p) => p.id);
  if (Object.keys(errors).length) return again({ errors, checked }, 422);

  const result = await bulkChange(c.var.deps, me, picked, wanted);
  if (result === "not staff") return again({ errors: { bulkAssignee: t("change.chooseAssignee") }, checked }, 422);
  const numbers = (ids: number[]) => list(ids.map((id) => t("list.ticketNumber", { id })));
  const parts = [
    result.changed.length && t("bulk.changed", { count: result.changed.length, list: numbers(result.changed) }),
    result.unchanged.length && t("bulk.unchanged", { list: numbers(result.unchanged) }),
    result.stale.length && t("bulk.stale", { list: numbers(result.stale) }),
    result.full.length && t("bulk.full", { max: TAGS_PER_TICKET, list: numbers(result.full) }),
    result.missing.length && t("bulk.missing", { list: numbers(result.missing) }),
  ].filter((part): part is string => Boolean(part));
  const view = viewOf(query);
  // In place: the same view as it is now, the boxes of the tickets left as they were still ticked.
  const left = [...result.stale, ...result.full];
  return done(c, parts.join(" "), viewUrl(view), async () => (
    <QueueResults {...(await queueProps(c, query, { checked: left }))} />
  ));
});

/**
 * POST /queue/start: the view sent (a query string) becomes where this person starts, cleaned to
 * the queue's own filters; `reset` goes back to the open work.
 */
queue.post("/start", async (c) => {
  const body = await c.req.parseBody();
  const sent = typeof body.view === "string" ? body.view.slice(0, 1000) : "";
  const view = viewOf(queryOfView(sent));
  const reset = body.reset === "1" || !view || view === DEFAULT_START_VIEW;
  await setStartView(c.var.deps, userOf(c).id, reset ? null : view);
  const saved = reset ? DEFAULT_START_VIEW : view;
  const message = c.var.i18n.t(reset ? "queue.startOpenSaved" : "queue.startHere");
  return done(c, message, `/queue?${reset ? view || DEFAULT_START_VIEW : view}`, () => (
    <StartViewForm view={view || DEFAULT_START_VIEW} saved={saved} />
  ));
});
