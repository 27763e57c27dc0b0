import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { Deps } from "../env.js";
import { requestMeta } from "../http/auth/middleware.js";
import { findTicket } from "../tickets/find.js";
import { listTickets } from "../tickets/list.js";
import { statusesOf } from "../tickets/statuses.js";
import { isStaff } from "../users/authorization.js";
import { authenticate, SCOPES, type Scope, type TokenUser } from "./tokens.js";

// The JSON API, /api/v1: a personal access token (`Authorization: Bearer hd_...`) acts as its
// owner through the same domain functions as the pages. Cookies are never read here (so CSRF
// cannot reach it) and tokens are never read by the HTML routes. Errors are RFC 9457 problem
// details. The OpenAPI 3.1 document (/api/v1/openapi.json) is made from the zod schemas the routes
// validate with (@hono/zod-openapi), so it cannot drift from them.

type ApiEnv = { Variables: { deps: Deps; caller: TokenUser; requestId: string } };
type ApiCtx = Context<ApiEnv>;

const PROBLEM = "application/problem+json";

/** A problem details answer (RFC 9457): type, title, status, detail, and per-field errors. */
export function problem(
  c: Context,
  status: 400 | 401 | 403 | 404 | 409 | 412 | 413 | 415 | 422 | 429,
  title: string,
  detail?: string,
  errors?: { field: string; message: string }[],
) {
  const body = { type: "about:blank", title, status, ...(detail ? { detail } : {}), ...(errors ? { errors } : {}) };
  if (status === 401) c.header("WWW-Authenticate", 'Bearer realm="hyperdesk"');
  return c.body(JSON.stringify(body), status, { "Content-Type": PROBLEM });
}

const Problem = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    errors: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
  })
  .openapi("Problem");
const problems = (...codes: (401 | 403 | 404 | 422)[]) =>
  Object.fromEntries(
    codes.map((code) => [
      code,
      {
        description: {
          401: "No valid token",
          403: "Outside the token's scopes or the owner's role",
          404: "Not found",
          422: "Invalid input",
        }[code],
        content: { [PROBLEM]: { schema: Problem } },
      },
    ]),
  );

const Me = z
  .object({
    id: z.number().int(),
    name: z.string(),
    email: z.string(),
    role: z.enum(["requester", "agent", "admin"]),
    scopes: z.array(z.enum(SCOPES)),
  })
  .openapi("Me");

const TicketSummary = z
  .object({
    id: z.number().int(),
    subject: z.string(),
    status: z.string(),
    priority: z.string(),
    version: z.number().int().openapi({ description: "Send it back in If-Match to change the ticket" }),
    createdAt: z.string().openapi({ format: "date-time" }),
    updatedAt: z.string().openapi({ format: "date-time" }),
    nextDueAt: z.string().nullable().openapi({ format: "date-time" }),
  })
  .openapi("TicketSummary");

const TicketList = z
  .object({
    tickets: z.array(TicketSummary),
    next: z.string().nullable().openapi({ description: "The cursor of the next page (`?cursor=`), null at the end" }),
  })
  .openapi("TicketList");

const Message = z
  .object({
    id: z.number().int(),
    author: z.object({ id: z.number().int(), name: z.string() }),
    internal: z.boolean(),
    body: z.string(),
    createdAt: z.string().openapi({ format: "date-time" }),
  })
  .openapi("Message");

const Ticket = TicketSummary.extend({
  description: z.string(),
  requester: z.object({ id: z.number().int(), name: z.string() }),
  assignee: z.object({ id: z.number().int(), name: z.string() }).nullable(),
  tags: z.array(z.string()),
  messages: z.array(Message),
}).openapi("Ticket");

const security = [{ bearer: [] }];

const meRoute = createRoute({
  method: "get",
  path: "/me",
  summary: "The person the token acts as",
  security,
  responses: {
    200: { description: "The token's owner", content: { "application/json": { schema: Me } } },
    ...problems(401),
  },
});

const listQuery = z.object({
  q: z.string().max(200).optional().openapi({ description: "Search words" }),
  status: z.string().max(40).optional().openapi({ description: "A status, or `active` (not closed)" }),
  cursor: z.string().max(40).optional().openapi({ description: "From the previous page's `next`" }),
});

const listRoute = createRoute({
  method: "get",
  path: "/tickets",
  summary: "Tickets: staff every ticket (the queue's filters), a requester their own; newest first, 25 a page",
  security,
  request: { query: listQuery },
  responses: {
    200: { description: "A page of tickets", content: { "application/json": { schema: TicketList } } },
    ...problems(401, 403, 422),
  },
});

const ticketRoute = createRoute({
  method: "get",
  path: "/tickets/{id}",
  summary: "One ticket with its messages (a requester: their own, without internal notes)",
  security,
  request: { params: z.object({ id: z.coerce.number().int().positive().max(2_147_483_647) }) },
  responses: {
    200: { description: "The ticket", content: { "application/json": { schema: Ticket } } },
    ...problems(401, 403, 404, 422),
  },
});

const iso = (d: Date | null) => (d ? d.toISOString() : null);
const summaryOf = (t: {
  id: number;
  subject: string;
  status: string;
  priority: string;
  version: number;
  createdAt: Date;
  updatedAt: Date;
  nextDueAt: Date | null;
}) => ({
  id: t.id,
  subject: t.subject,
  status: t.status,
  priority: t.priority,
  version: t.version,
  createdAt: t.createdAt.toISOString(),
  updatedAt: t.updatedAt.toISOString(),
  nextDueAt: iso(t.nextDueAt),
});

/** Refuses (403) a call outside the token's scopes. */
const needs = (c: ApiCtx, scope: Scope) =>
  c.var.caller.scopes.includes(scope)
    ? null
    : problem(c, 403, "Forbidden", `This token does not have the ${scope} scope.`);

export function apiV1(deps: Deps) {
  const api = new OpenAPIHono<ApiEnv>({
    // Input that does not fit a route's schema: 422 with each field's message.
    defaultHook: (result, c) => {
      if (result.success) return;
      const errors = result.error.issues.map((i) => ({ field: i.path.join(".") || "(request)", message: i.message }));
      return problem(c, 422, "Invalid input", "Some of what was sent does not fit.", errors);
    },
  });
  api.openAPIRegistry.registerComponent("securitySchemes", "bearer", {
    type: "http",
    scheme: "bearer",
    description: "A personal access token made on /account (hd_...)",
  });

  api.use(async (c, next) => {
    c.set("deps", deps);
    // Never cached anywhere: every answer is one person's view.
    c.header("Cache-Control", "no-store");
    if (c.req.path.endsWith("/openapi.json")) return next();
    const header = c.req.header("Authorization") ?? "";
    const token = header.match(/^Bearer\s+(\S+)$/i)?.[1];
    if (!token) return problem(c, 401, "Unauthorized", "Send a personal access token: Authorization: Bearer hd_...");
    const caller = await authenticate(deps, token, requestMeta(c as never).address);
    if (!caller)
      return problem(c, 401, "Unauthorized", "This token is unknown, revoked or expired, or its owner cannot sign in.");
    c.set("caller", caller);
    await next();
  });

  api.openapi(meRoute, (c) => {
    const { user, scopes } = c.var.caller;
    return c.json({ id: user.id, name: user.name, email: user.email, role: user.role, scopes }, 200);
  });

  api.openapi(listRoute, async (c) => {
    const refused = needs(c, "tickets:read");
    if (refused) return refused as never;
    const { q, status, cursor } = c.req.valid("query");
    const { user } = c.var.caller;
    const closed = (await statusesOf(deps)).ofKind("closed");
    const filters = isStaff(user) ? { status, q, closed } : { requesterId: user.id, status, q, closed };
    const { tickets, next } = await listTickets(deps, filters, cursor);
    return c.json({ tickets: tickets.map(summaryOf), next: next ?? null }, 200);
  });

  api.openapi(ticketRoute, async (c) => {
    const refused = needs(c, "tickets:read");
    if (refused) return refused as never;
    const { id } = c.req.valid("param");
    const ticket = await findTicket(deps, c.var.caller.user, id);
    if (!ticket) return problem(c, 404, "Not found", `There is no ticket #${id} for this token.`) as never;
    return c.json(
      {
        ...summaryOf(ticket),
        description: ticket.description,
        requester: { id: ticket.requester.id, name: ticket.requester.name },
        assignee: ticket.assignee,
        tags: ticket.tags.map((t) => t.name),
        messages: ticket.replies.map((r) => ({
          id: r.id,
          author: { id: r.author.id, name: r.author.name },
          internal: r.internal,
          body: r.body,
          createdAt: r.createdAt.toISOString(),
        })),
      },
      200,
    );
  });

  api.doc31("/openapi.json", {
    openapi: "3.1.0",
    info: {
      title: "Hyperdesk API",
      version: "1",
      description: "The helpdesk's JSON API. Make a token on /account; send it as `Authorization: Bearer <token>`.",
    },
    servers: [{ url: "/api/v1" }],
  });

  // Anything else under /api/v1: a problem, never the HTML 404 page.
  api.all("*", (c) => problem(c, 404, "Not found", "No such API route."));
  api.onError((error, c) => {
    deps.log({ level: "error", msg: "api error", error: (error as Error).message });
    return c.body(JSON.stringify({ type: "about:blank", title: "Internal error", status: 500 }), 500, {
      "Content-Type": PROBLEM,
    });
  });
  return api;
}

export type { ApiCtx };
