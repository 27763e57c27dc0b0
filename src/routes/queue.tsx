import { Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "../env.js";
import { can } from "../lib/authorization.js";
import { requireUser } from "../lib/auth/middleware.js";
import { searchText } from "../lib/forms.js";
import { fragment, isPartial } from "../lib/htmx.js";
import { listTickets, PRIORITIES, SORTS, STATUS_FILTERS, type TicketFilters, whereOf } from "../lib/tickets.js";
import { Pager, TicketRows } from "../../views/tickets/_results.js";
import { QueuePage, QueueResults } from "../../views/queue/index.js";
import { nextPageUrl, wantsRows } from "./tickets.js";
import { staffOptions } from "./ticket-response.js";

export const queue = new Hono<AppEnv>();
queue.use("/queue", requireUser(can.useQueue));

const queueQuery = z.object({
  q: searchText(),
  status: z.enum(STATUS_FILTERS).optional().catch(undefined),
  priority: z.enum(PRIORITIES).optional().catch(undefined),
  assignee: z
    .string()
    .regex(/^(me|unassigned|\d{1,10})$/)
    .optional()
    .catch(undefined),
  requester: searchText(),
  sort: z.enum(SORTS).optional().catch(undefined),
  cursor: z.string().max(40).optional().catch(undefined),
});

queue.get("/queue", async (c) => {
  const { deps } = c.var;
  const me = c.var.user!;
  const query = queueQuery.parse(c.req.query());
  // Every filter lives in the query string, so a view can be bookmarked and shared.
  const filters: TicketFilters = {
    status: query.status,
    priority: query.priority,
    assigneeId:
      query.assignee === "me"
        ? me.id
        : query.assignee === "unassigned"
          ? null
          : query.assignee
            ? Number(query.assignee)
            : undefined,
    requesterMatch: query.requester,
    q: query.q,
    searchReplies: true,
    sort: query.sort,
  };
  const { tickets, next } = await listTickets(deps, filters, query.cursor, { people: true });
  const nextUrl = nextPageUrl("/queue", query, next);
  if (wantsRows(c))
    return fragment(
      c,
      <>
        <TicketRows tickets={tickets} staffColumns />
        <Pager nextUrl={nextUrl} oob />
      </>,
    );
  const grouped = await deps.db.ticket.groupBy({
    by: ["status"],
    where: whereOf(deps, { ...filters, status: undefined }),
    _count: { _all: true },
  });
  const counts = Object.fromEntries(grouped.map((g) => [g.status, g._count._all]));
  if (isPartial(c))
    return fragment(c, <QueueResults tickets={tickets} nextUrl={nextUrl} query={query} counts={counts} />);
  return c.render(
    <QueuePage
      tickets={tickets}
      nextUrl={nextUrl}
      query={query}
      counts={counts}
      staff={await staffOptions(c)}
      me={me.id}
    />,
    { title: "Queue" },
  );
});
