import { Hono } from "hono";
import { QueuePage, QueueResults, StartViewForm, viewOf } from "../../views/queue/index.js";
import type { AppEnv } from "../env.js";
import { requireUser, userOf } from "../http/auth/middleware.js";
import { done, fragment, isPartial } from "../http/htmx.js";
import { rememberList } from "../http/last-list.js";
import { firstPageUrl, moreRows, nextPageUrl, wantsRows } from "../http/lists.js";
import { filtersOf, queueQuery } from "../http/queue-view.js";
import { countByStatus } from "../tickets/counts.js";
import { listTickets } from "../tickets/list.js";
import { can, DEFAULT_START_VIEW } from "../users/authorization.js";
import { activeStaff, setStartView } from "../users/people.js";

// GET /queue: every ticket for agents, filtered, searched, sorted; every filter in the query string,
// so a view can be bookmarked and shared.
export const queue = new Hono<AppEnv>();
queue.use(requireUser(can.useQueue));

queue.get("/", async (c) => {
  const { deps } = c.var;
  const me = userOf(c);
  const query = queueQuery.parse(c.req.query());
  const filters = filtersOf(query, me.id, deps.clock.now(), c.var.statuses);
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
