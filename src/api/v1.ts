import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { Deps } from "../env.js";
import { requestMeta } from "../http/auth/middleware.js";
import { filesBodyLimit } from "../http/uploads.js";
import { findTicket, type TicketDetail } from "../tickets/find.js";
import { listTickets } from "../tickets/list.js";
import { statusesOf } from "../tickets/statuses.js";
import { isStaff } from "../users/authorization.js";
import { countAttempt } from "../users/throttle.js";
import { registerPeople } from "./people.js";
import { type ApiEnv, PROBLEM, problem } from "./problem.js";
import { authenticate, SCOPES, type Scope } from "./tokens.js";
import { registerWebhookDocs } from "./webhooks-doc.js";
import { registerWrites } from "./writes.js";

// The JSON API, /api/v1: a personal access token (`Authorization: Bearer hd_...`) acts as its
// owner through the same domain functions as the pages. Cookies are never read here (so CSRF
// cannot reach it) and tokens are never read by the HTML routes. Errors are RFC 9457 problem
// details. The OpenAPI 3.1 document (/api/v1/openapi.json) is made from the zod schemas the routes
// validate with (@hono/zod-openapi), so it cannot drift from them.

type ApiCtx = Context<ApiEnv>;

/** The largest request body the API takes (a ticket's description is at most 10,000 characters). */
const BODY_MAX = 64 * 1024;

const Problem = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    errors: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
  })
  .openapi("Problem");
const PROBLEM_WORDS = {
  401: "No valid token",
  403: "Outside the token's scopes or the owner's role",
  404: "Not found",
  409: "In conflict with the ticket's state (merged, or the same request still running)",
  412: "The ticket changed since the version If-Match names",
  413: "The body is larger than the API takes (64 KB; a new ticket's files: as on the page)",
  415: "Not JSON (nor, for a new ticket with files, multipart/form-data)",
  422: "Invalid input",
} as const;
const problems = (...codes: (keyof typeof PROBLEM_WORDS)[]) =>
  Object.fromEntries(
    codes.map((code) => [code, { description: PROBLEM_WORDS[code], content: { [PROBLEM]: { schema: Problem } } }]),
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

const FileInfo = z
  .object({
    id: z.number().int(),
    name: z.string(),
    type: z.string(),
    size: z.number().int(),
    url: z.string().openapi({ description: "Its bytes: GET this path (under /api/v1) with the token" }),
  })
  .openapi("File");

const Message = z
  .object({
    id: z.number().int(),
    author: z.object({ id: z.number().int(), name: z.string() }),
    internal: z.boolean(),
    body: z.string(),
    createdAt: z.string().openapi({ format: "date-time" }),
    files: z.array(FileInfo),
  })
  .openapi("Message");

const Ticket = TicketSummary.extend({
  description: z.string(),
  requester: z.object({ id: z.number().int(), name: z.string() }),
  assignee: z.object({ id: z.number().int(), name: z.string() }).nullable(),
  tags: z.array(z.string()),
  files: z.array(FileInfo).openapi({ description: "The files that came with the ticket itself" }),
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

/** A ticket as the API gives it: the fields, and its messages as the caller may see them. */
const ticketJson = (ticket: TicketDetail) => ({
  ...summaryOf(ticket),
  description: ticket.description,
  requester: { id: ticket.requester.id, name: ticket.requester.name },
  assignee: ticket.assignee,
  tags: ticket.tags.map((t) => t.name),
  files: ticket.attachments.map((f) => fileJson(ticket.id, f)),
  messages: ticket.replies.map((r) => ({
    id: r.id,
    author: { id: r.author.id, name: r.author.name },
    internal: r.internal,
    body: r.body,
    createdAt: r.createdAt.toISOString(),
    files: r.attachments.map((f) => fileJson(ticket.id, f)),
  })),
});

const fileJson = (ticketId: number, f: { id: number; name: string; type: string; size: number }) => ({
  id: f.id,
  name: f.name,
  type: f.type,
  size: f.size,
  url: `/tickets/${ticketId}/files/${f.id}`,
});

/** The scope each route needs: reading tickets, or changing them. */
const scopeOf = (method: string, path: string): Scope | null =>
  /^\/api\/v1\/tickets(\/|$)/.test(path)
    ? method === "GET"
      ? "tickets:read"
      : "tickets:write"
    : /^\/api\/v1\/people(\/|$)/.test(path)
      ? "admin"
      : null;

const tooLarge = (c: Context, max: number) =>
  problem(c, 413, "Too large", `This request's body is at most ${Math.floor(max / 1024)} KB.`);

/** A new ticket sent as a form with files: the one API request that is not JSON. */
const withFiles = (c: Context) =>
  c.req.method === "POST" &&
  /\/api\/v1\/tickets\/?$/.test(c.req.path) &&
  (c.req.header("Content-Type") ?? "").toLowerCase().startsWith("multipart/form-data");

/** Refuses (403) a call outside the token's scopes. */
const needs = (c: ApiCtx, scope: Scope) =>
  c.var.caller.scopes.includes(scope)
    ? null
    : problem(c, 403, "Forbidden", `This token does not have the ${scope} scope.`);

/** What the OpenAPI document says of itself. */
const DOCUMENT = {
  openapi: "3.1.0",
  info: {
    title: "Hyperdesk API",
    version: "1",
    description:
      "The helpdesk's JSON API. Make a token on /account/tokens; send it as `Authorization: Bearer <token>`.",
  },
  servers: [{ url: "/api/v1" }],
};

export type ApiDocument = ReturnType<ReturnType<typeof apiV1>["document"]>;

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

  // A new ticket with files (multipart/form-data) may carry what a message's files may; anything else BODY_MAX.
  const filesMax = filesBodyLimit(deps.config);
  const limitFiles = bodyLimit({ maxSize: filesMax, onError: (c) => tooLarge(c, filesMax) });
  const limitJson = bodyLimit({ maxSize: BODY_MAX, onError: (c) => tooLarge(c, BODY_MAX) });
  api.use((c, next) => (withFiles(c) ? limitFiles(c, next) : limitJson(c, next)));
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
    // Each token's requests a minute, counted in the database (so across instances), said in the
    // IETF RateLimit headers; past it, 429 with Retry-After.
    const limit = { key: `api:token:${caller.tokenId}`, max: deps.config.apiRateLimit, windowMs: 60_000 };
    const now = deps.clock.now();
    const { count, resetAt } = await countAttempt(deps.db, limit, now);
    const reset = Math.max(1, Math.ceil((resetAt.getTime() - now.getTime()) / 1000));
    c.header("RateLimit-Policy", `"token";q=${limit.max};w=60`);
    c.header("RateLimit", `"token";r=${Math.max(0, limit.max - count)};t=${reset}`);
    if (count > limit.max) {
      c.header("Retry-After", String(reset));
      return problem(
        c,
        429,
        "Too many requests",
        `At most ${limit.max} requests a minute per token: try again in ${reset} s.`,
      );
    }
    // The scope a route needs, before its input is even read (403 before any 422).
    const scope = scopeOf(c.req.method, c.req.path);
    if (scope && !caller.scopes.includes(scope))
      return problem(c, 403, "Forbidden", `This token does not have the ${scope} scope.`);
    // A body is JSON (415 otherwise) of at most BODY_MAX (413), but a new ticket's form with files.
    if ((c.req.method === "POST" || c.req.method === "PATCH") && !withFiles(c)) {
      // bodyLimit (above) stops a body past BODY_MAX as it arrives, chunked or not; read once here
      // (Hono keeps it for the route's validator).
      const text = await c.req.text();
      const type = (c.req.header("Content-Type") ?? "").split(";")[0]!.trim().toLowerCase();
      if (text.length > 0 && type !== "application/json")
        return problem(
          c,
          415,
          "Unsupported media type",
          "Send JSON: Content-Type: application/json (a new ticket with files: multipart/form-data).",
        );
    }
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
    // Its version, to send back in If-Match with a change.
    c.header("ETag", `"${ticket.version}"`);
    return c.json(ticketJson(ticket), 200);
  });

  registerWrites(api, deps, { Ticket, Message, problems, ticketJson });
  registerPeople(api, deps, problems);

  registerWebhookDocs(api as never);
  api.doc31("/openapi.json", DOCUMENT);

  // Anything else under /api/v1: a problem, never the HTML 404 page.
  api.all("*", (c) => problem(c, 404, "Not found", "No such API route."));
  api.onError((error, c) => {
    deps.log({ level: "error", msg: "api error", error: (error as Error).message });
    return c.body(JSON.stringify({ type: "about:blank", title: "Internal error", status: 500 }), 500, {
      "Content-Type": PROBLEM,
    });
  });
  return { app: api, document: () => api.getOpenAPI31Document(DOCUMENT) };
}

export type { ApiCtx };
