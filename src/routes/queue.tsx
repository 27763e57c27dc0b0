import { Hono } from "hono";
import { z } from "zod";
import { QueuePage, QueueResults, StartViewForm, viewOf } from "../../views/queue/index.js";
import type { AppEnv } from "../env.js";
import { requireUser, userOf } from "../lib/auth/middleware.js";
import { can, DEFAULT_START_VIEW } from "../lib/authorization.js";
import { searchText } from "../lib/forms.js";
import { done, fragment, isPartial } from "../lib/htmx.js";
import { parseId } from "../lib/ids.js";
import { rememberList } from "../lib/last-list.js";
import { firstPageUrl, moreRows, nextPageUrl, wantsRows } from "../lib/lists.js";
import { countByStatus, listTickets, type TicketFilters } from "../tickets/list.js";
import { PRIORITIES, SORTS, STATUS_FILTERS } from "../tickets/model.js";
import { activeStaff, setStartView } from "../users/people.js";

// GET /queue: every ticket for agents, filtered, searched, sorted; every filter in the query string,
// so a view can be bookmarked and shared.
export const queue = new Hono<AppEnv>();
queue.use(requireUser(can.useQueue));

const queueQuery = z.object({
  q: searchText(),
  status: z.enum(STATUS_FILTERS).optional().catch(undefined),
  priority: z.enum(PRIORITIES).optional().catch(undefined),
  assignee: z
    .string()
    .refine((v) => v === "me" || v === "unassigned" || parseId(v) !== null)
    .optional()
    .catch(undefined),
  requester: searchText(),
  /** Who spoke last: "needed", the requester (the desk owes a reply); "answered", the desk. */
  reply: z.enum(["needed", "answered"]).optional().catch(undefined),
  sort: z.enum(SORTS).optional().catch(undefined),
  cursor: z.string().max(40).optional().catch(undefined),
});
type QueueQuery = z.infer<typeof queueQuery>;

function filtersOf(query: QueueQuery, me: number): TicketFilters {
  const { assignee } = query;
  return {
    status: query.status,
    priority: query.priority,
    assigneeId: assignee === "me" ? me : assignee === "unassigned" ? null : assignee ? parseId(assignee)! : undefined,
    requesterMatch: query.requester,
    lastSpoke: query.reply === "needed" ? "requester" : query.reply === "answered" ? "staff" : undefined,
    q: query.q,
    searchReplies: true,
    sort: query.sort,
  };
}

queue.get("/", async (c) => {
  const { deps } = c.var;
  const me = userOf(c);
  const query = queueQuery.parse(c.req.query());
  const filters = filtersOf(query, me.id);
  const { tickets, next } = await listTickets(deps, filters, query.cursor, { people: true });
  const nextUrl = nextPageUrl("/queue", query, next);
  const firstUrl = firstPageUrl("/queue", query);
  if (wantsRows(c)) return moreRows(c, tickets, nextUrl, true);
  rememberList(c);
  const counts = await countByStatus(deps, filters);
  if (isPartial(c))
    return fragment(
      c,
      <QueueResults tickets={tickets} nextUrl={nextUrl} firstUrl={firstUrl} query={query} counts={counts} />,
    );
  const page = (
    <QueuePage
      tickets={tickets}
      nextUrl={nextUrl}
      firstUrl={firstUrl}
      query={query}
      counts={counts}
      staff={await activeStaff(deps)}
      me={me.id}
    />
  );
  return c.render(page, { title: c.var.i18n.t("queue.title") });
});

/**
 * POST /queue/start: the view sent (a query string) becomes where this person starts, cleaned to
 * the queue's own filters; `reset` goes back to the open work.
 */
queue.post("/start", async (c) => {
  const body = await c.req.parseBody();
  const sent = typeof body.view === "string" ? body.view.slice(0, 1000) : "";
  const view = viewOf(queueQuery.parse(Object.fromEntries(new URLSearchParams(sent))));
  const reset = body.reset === "1" || !view || view === DEFAULT_START_VIEW;
  await setStartView(c.var.deps, userOf(c).id, reset ? null : view);
  const saved = reset ? DEFAULT_START_VIEW : view;
  const message = c.var.i18n.t(reset ? "queue.startOpenSaved" : "queue.startHere");
  return done(c, message, `/queue?${reset ? view || DEFAULT_START_VIEW : view}`, () => (
    <StartViewForm view={view || DEFAULT_START_VIEW} saved={saved} />
  ));
});
