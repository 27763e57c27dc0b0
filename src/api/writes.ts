import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { checkFiles, readContent } from "../attachments/files.js";
import { contentDisposition } from "../attachments/names.js";
import type { Deps } from "../env.js";
import { i18nFor } from "../i18n/translate.js";
import { normaliseTag, setTags, TAG_MAX_CHARS, TAGS_PER_TICKET } from "../tags/tags.js";
import { changeFields, closeTicket, reopenTicket } from "../tickets/changes.js";
import { findTicket, type TicketDetail } from "../tickets/find.js";
import { PRIORITIES } from "../tickets/model.js";
import { openTicket } from "../tickets/open.js";
import { statusesOf } from "../tickets/statuses.js";
import { addNote, addReply } from "../tickets/thread.js";
import { isStaff } from "../users/authorization.js";
import { idempotency } from "./idempotency.js";
import { type ApiEnv, problem } from "./problem.js";

// The API's changes to tickets, through the same domain functions as the pages (so the same
// history, subscribers, mail and rules): open a ticket, reply or note, change status / priority /
// assignee, close, reopen. `If-Match: "<version>"` refuses a change to a ticket changed since
// (412); `Idempotency-Key` makes a create or reply safe to retry (idempotency.ts).

type Shapes = {
  Ticket: z.ZodTypeAny;
  Message: z.ZodTypeAny;
  problems: (...codes: (401 | 403 | 404 | 409 | 412 | 413 | 415 | 422)[]) => Record<string, unknown>;
  ticketJson: (ticket: TicketDetail) => unknown;
};

const security = [{ bearer: [] }];
const id = z.object({ id: z.coerce.number().int().positive().max(2_147_483_647) });
const ifMatch = z.object({
  "if-match": z
    .string()
    .max(40)
    .optional()
    .openapi({ description: 'The ticket\'s version as its ETag says (`"7"`): refused with 412 when it changed since' }),
});
const idemKey = z.object({
  "idempotency-key": z
    .string()
    .max(100)
    .optional()
    .openapi({ description: "Any unique text: a retry with the same key gets the first answer (24 hours)" }),
});

const Event = z
  .object({
    id: z.number().int(),
    kind: z
      .string()
      .openapi({ description: "created, status, priority, assignee, reply, note, tag, untag, merged, ..." }),
    from: z.string().nullable(),
    to: z.string().nullable(),
    internal: z.boolean(),
    actor: z.object({ id: z.number().int(), name: z.string() }),
    at: z.string().openapi({ format: "date-time" }),
  })
  .openapi("Event");

const NewTicket = z
  .object({
    subject: z.string().trim().min(3).max(200),
    description: z.string().trim().min(10).max(10_000),
    priority: z.enum(PRIORITIES).default("Medium"),
  })
  .openapi("NewTicket");
const NewTicketWithFiles = z
  .object({
    subject: z.string().trim().min(3).max(200),
    description: z.string().trim().min(10).max(10_000),
    priority: z.enum(PRIORITIES).default("Medium"),
    files: z
      .union([z.instanceof(File), z.array(z.instanceof(File))])
      .optional()
      .openapi({
        type: "array",
        items: { type: "string", format: "binary" },
        description: "The files, each a part named files (the desk's kinds and sizes, as on the page)",
      }),
  })
  .openapi("NewTicketWithFiles");
const NewMessage = z
  .object({
    body: z.string().trim().min(1).max(10_000),
    internal: z.boolean().default(false).openapi({ description: "An internal note (staff only)" }),
    status: z
      .string()
      .max(40)
      .optional()
      .openapi({ description: "Staff: the status the reply sets (as 'Send and close')" }),
  })
  .openapi("NewMessage");
const Changes = z
  .object({
    status: z.string().max(40).optional(),
    priority: z.enum(PRIORITIES).optional(),
    assigneeId: z
      .number()
      .int()
      .positive()
      .nullable()
      .optional()
      .openapi({ description: "An agent's or admin's id; null: nobody" }),
    tags: z
      .array(z.string().max(100))
      .max(50)
      .optional()
      .openapi({ description: "The ticket's tags after the change (each written lower case); [] takes them all off" }),
  })
  .openapi("TicketChanges");

/** Why a tag cannot be one, for a program (the pages say it in the reader's language). */
const TAG_PROBLEMS = {
  "tags.missing": "Empty.",
  "tags.long": `At most ${TAG_MAX_CHARS} characters.`,
  "tags.chars": "Letters, digits, spaces, dots, dashes and underscores, starting with a letter or digit.",
};

/** The version an If-Match names, if any: `"7"`, `W/"7"` or `7`; NaN when it names none. */
const versionOf = (header: string | undefined) =>
  header === undefined ? undefined : Number(header.replace(/^W\//, "").replace(/"/g, "").trim() || Number.NaN);

export function registerWrites(api: OpenAPIHono<ApiEnv>, deps: Deps, shapes: Shapes) {
  const { Ticket, Message, problems, ticketJson } = shapes;
  const json = { "application/json": { schema: Ticket } };

  /** The ticket of the URL as the caller may see it; the problem otherwise (404, or 409 when merged). */
  const ticketFor = async (c: Context<ApiEnv>, ticketId: number) => {
    const ticket = await findTicket(deps, c.var.caller.user, ticketId);
    if (!ticket) return problem(c, 404, "Not found", `There is no ticket #${ticketId} for this token.`);
    if (ticket.mergedIntoId !== null)
      return problem(c, 409, "Merged", `Ticket #${ticketId} was merged into #${ticket.mergedIntoId}: change that one.`);
    return ticket;
  };
  const writes = (c: Context<ApiEnv>) =>
    c.var.caller.scopes.includes("tickets:write")
      ? null
      : problem(c, 403, "Forbidden", "This token does not have the tickets:write scope.");
  /** 412 when If-Match names another version than the ticket's; NaN (not a version) is a 422. */
  const stale = (c: Context<ApiEnv>, ticket: TicketDetail) => {
    const wanted = versionOf(c.req.header("If-Match"));
    if (wanted === undefined) return null;
    if (Number.isNaN(wanted)) return problem(c, 422, "Invalid input", 'If-Match is the ticket\'s ETag, such as "7".');
    return wanted === ticket.version
      ? null
      : problem(c, 412, "Precondition failed", `The ticket is at version ${ticket.version} now, not ${wanted}.`);
  };
  const answerTicket = async (c: Context<ApiEnv>, ticketId: number, status: 200 | 201) => {
    const ticket = (await findTicket(deps, c.var.caller.user, ticketId))!;
    c.header("ETag", `"${ticket.version}"`);
    return c.json(ticketJson(ticket), status);
  };
  /** Runs a create or reply once per Idempotency-Key: the first answer again for a retry. */
  const once = async (c: Context<ApiEnv>, run: () => Promise<Response>, body?: string) => {
    const step = await idempotency(deps, c, c.var.caller.tokenId, body ?? (await c.req.text()));
    switch (step.kind) {
      case "bad key":
        return problem(c, 422, "Invalid input", "Idempotency-Key is 1-100 visible characters.");
      case "mismatch":
        return problem(c, 422, "Invalid input", "This Idempotency-Key was used for another request.");
      case "busy":
        return problem(c, 409, "Conflict", "A request with this Idempotency-Key is still running.");
      case "replay":
        c.header("Idempotent-Replayed", "true");
        return c.body(step.answer.body, step.answer.status as 201, { "Content-Type": "application/json" });
    }
    const res = await run();
    await step.finish({ status: res.status, body: await res.clone().text() });
    return res;
  };

  api.openapi(
    createRoute({
      method: "post",
      path: "/tickets",
      summary: "Open a ticket as the token's owner (JSON; or multipart/form-data with files)",
      security,
      request: {
        headers: idemKey,
        body: {
          content: {
            "application/json": { schema: NewTicket },
            "multipart/form-data": { schema: NewTicketWithFiles },
          },
          // Each validator runs for its own Content-Type only (required would run both); one of
          // the two is required below.
          required: false,
        },
      },
      responses: {
        201: { description: "The new ticket", content: json },
        ...problems(401, 403, 409, 413, 415, 422),
      },
    }),
    async (c) => {
      const refused = writes(c);
      if (refused) return refused as never;
      const type = (c.req.header("Content-Type") ?? "").toLowerCase();
      const multipart = type.startsWith("multipart/form-data");
      if (!multipart && !type.startsWith("application/json"))
        return problem(
          c,
          415,
          "Unsupported media type",
          "Send JSON (Content-Type: application/json), or multipart/form-data with files.",
        ) as never;
      type Sent = z.infer<typeof NewTicket> & { files?: File | File[] };
      const { files: sent, ...input } = (multipart ? c.req.valid("form" as never) : c.req.valid("json")) as Sent;
      const incoming = await Promise.all(
        (Array.isArray(sent) ? sent : sent ? [sent] : [])
          .filter((f) => f.size > 0 || f.name)
          .map(async (f) => ({ name: f.name, bytes: new Uint8Array(await f.arrayBuffer()) })),
      );
      // The files' problems in the desk's language, as the pages say them.
      const checked = await checkFiles(deps, i18nFor(deps.config.defaultLanguage), incoming);
      if ("error" in checked)
        return problem(c, 422, "Invalid input", checked.error, [{ field: "files", message: checked.error }]) as never;
      // What a retry must match: the fields and each file's SHA-256 (a form's boundary differs every time).
      const fingerprint = multipart
        ? JSON.stringify({ ...input, files: checked.uploads.map((u) => [u.name, u.hash]) })
        : undefined;
      return (await once(
        c,
        async () => {
          const { id: ticketId } = await openTicket(deps, c.var.caller.user, input, undefined, {
            files: checked.uploads,
          });
          c.header("Location", `/api/v1/tickets/${ticketId}`);
          return answerTicket(c, ticketId, 201);
        },
        fingerprint,
      )) as never;
    },
  );

  api.openapi(
    createRoute({
      method: "post",
      path: "/tickets/{id}/messages",
      summary: "A public reply, or (staff) an internal note",
      security,
      request: {
        params: id,
        headers: idemKey,
        body: { content: { "application/json": { schema: NewMessage } }, required: true },
      },
      responses: {
        201: { description: "The message", content: { "application/json": { schema: Message } } },
        ...problems(401, 403, 404, 409, 415, 422),
      },
    }),
    async (c) => {
      const refused = writes(c);
      if (refused) return refused as never;
      const { user } = c.var.caller;
      const ticket = await ticketFor(c, c.req.valid("param").id);
      if (ticket instanceof Response) return ticket as never;
      const { body, internal, status } = c.req.valid("json");
      if ((internal || status) && !isStaff(user))
        return problem(c, 403, "Forbidden", "Notes and a status with a reply are for staff.") as never;
      if (status && !(await statusesOf(deps)).has(status))
        return problem(c, 422, "Invalid input", "No such status.", [
          { field: "status", message: "No such status." },
        ]) as never;
      return (await once(c, async () => {
        const posted = internal
          ? await addNote(deps, user, ticket, body)
          : await addReply(deps, user, ticket, body, status ? { setStatus: status } : {});
        const replyId = posted.replyId;
        if (replyId === null) return problem(c, 409, "Conflict", "The same message was just posted.");
        const reply = (await findTicket(deps, user, ticket.id))!.replies.find((r) => r.id === replyId)!;
        return c.json(
          {
            id: reply.id,
            author: { id: reply.author.id, name: reply.author.name },
            internal: reply.internal,
            body: reply.body,
            createdAt: reply.createdAt.toISOString(),
            files: [],
          },
          201,
        );
      })) as never;
    },
  );

  api.openapi(
    createRoute({
      method: "patch",
      path: "/tickets/{id}",
      summary: "Staff: status, priority, assignee and tags (one history line each)",
      security,
      request: {
        params: id,
        headers: ifMatch,
        body: { content: { "application/json": { schema: Changes } }, required: true },
      },
      responses: {
        200: { description: "The ticket now", content: json },
        ...problems(401, 403, 404, 409, 412, 415, 422),
      },
    }),
    async (c) => {
      const refused = writes(c);
      if (refused) return refused as never;
      if (!isStaff(c.var.caller.user)) return problem(c, 403, "Forbidden", "Triage is for staff.") as never;
      const ticket = await ticketFor(c, c.req.valid("param").id);
      if (ticket instanceof Response) return ticket as never;
      const old = stale(c, ticket);
      if (old) return old as never;
      const wanted = c.req.valid("json");
      if (wanted.status !== undefined && !(await statusesOf(deps)).has(wanted.status))
        return problem(c, 422, "Invalid input", "No such status.", [
          { field: "status", message: "No such status." },
        ]) as never;
      const { tags: typedTags, ...fields } = wanted;
      const tags = typedTags?.map(normaliseTag);
      const badTags = (tags ?? []).flatMap((tag, i) =>
        "error" in tag ? [{ field: `tags.${i}`, message: TAG_PROBLEMS[tag.error as keyof typeof TAG_PROBLEMS] }] : [],
      );
      if (badTags.length) return problem(c, 422, "Invalid input", "A tag is not right.", badTags) as never;
      if (tags && new Set(tags.map((tag) => ("name" in tag ? tag.name : ""))).size > TAGS_PER_TICKET)
        return problem(c, 422, "Invalid input", `A ticket has at most ${TAGS_PER_TICKET} tags.`, [
          { field: "tags", message: `At most ${TAGS_PER_TICKET}.` },
        ]) as never;
      let version = versionOf(c.req.header("If-Match"));
      const result = await changeFields(deps, c.var.caller.user, ticket, fields, version);
      if (result.outcome === "not staff")
        return problem(c, 422, "Invalid input", "That person cannot take tickets.", [
          { field: "assigneeId", message: "Not an active agent or admin." },
        ]) as never;
      if (result.outcome === "stale")
        return problem(c, 412, "Precondition failed", "The ticket changed meanwhile.") as never;
      if (tags) {
        // The fields' change moved the version on by one: the tags follow it, not someone else's.
        if (version !== undefined && result.outcome === "done") version += 1;
        const names = tags.map((tag) => (tag as { name: string }).name);
        const tagged = await setTags(deps, c.var.caller.user, ticket.id, names, version);
        if (tagged === "stale") return problem(c, 412, "Precondition failed", "The ticket changed meanwhile.") as never;
      }
      return (await answerTicket(c, ticket.id, 200)) as never;
    },
  );

  for (const action of ["close", "reopen"] as const)
    api.openapi(
      createRoute({
        method: "post",
        path: `/tickets/{id}/${action}`,
        summary:
          action === "close"
            ? "Close the ticket (its requester, or staff)"
            : "Reopen a closed ticket (its requester, or staff)",
        security,
        request: { params: id, headers: ifMatch },
        responses: { 200: { description: "The ticket now", content: json }, ...problems(401, 403, 404, 409, 412, 422) },
      }),
      async (c) => {
        const refused = writes(c);
        if (refused) return refused as never;
        const ticket = await ticketFor(c, c.req.valid("param").id);
        if (ticket instanceof Response) return ticket as never;
        const old = stale(c, ticket);
        if (old) return old as never;
        const change = action === "close" ? closeTicket : reopenTicket;
        const outcome = await change(deps, c.var.caller.user, ticket, versionOf(c.req.header("If-Match")));
        if (outcome === "stale")
          return problem(c, 412, "Precondition failed", "The ticket changed meanwhile.") as never;
        return (await answerTicket(c, ticket.id, 200)) as never;
      },
    );

  api.openapi(
    createRoute({
      method: "get",
      path: "/tickets/{id}/events",
      summary: "A ticket's history, oldest first (a requester's without staff-only lines)",
      security,
      request: { params: id },
      responses: {
        200: { description: "The history", content: { "application/json": { schema: z.array(Event) } } },
        ...problems(401, 403, 404, 422),
      },
    }),
    async (c) => {
      const ticket = await findTicket(deps, c.var.caller.user, c.req.valid("param").id);
      if (!ticket) return problem(c, 404, "Not found", "There is no such ticket for this token.") as never;
      return c.json(
        ticket.events.map((e) => ({
          id: e.id,
          kind: e.kind,
          from: e.fromValue,
          to: e.toValue,
          internal: e.internal,
          actor: { id: e.actor.id, name: e.actor.name },
          at: e.createdAt.toISOString(),
        })),
        200,
      );
    },
  );

  api.openapi(
    createRoute({
      method: "get",
      path: "/tickets/{id}/files/{file}",
      summary: "One file of a ticket, to those who may see the message it came with",
      security,
      request: { params: id.extend({ file: z.coerce.number().int().positive().max(2_147_483_647) }) },
      responses: {
        200: {
          description: "The file's bytes",
          content: { "application/octet-stream": { schema: z.string().openapi({ format: "binary" }) } },
        },
        ...problems(401, 403, 404, 422),
      },
    }),
    async (c) => {
      const { id: ticketId, file: fileId } = c.req.valid("param");
      const ticket = await findTicket(deps, c.var.caller.user, ticketId);
      const file =
        ticket && [...ticket.attachments, ...ticket.replies.flatMap((r) => r.attachments)].find((f) => f.id === fileId);
      const bytes = file && (await readContent(deps, file.contentHash));
      if (!file || !bytes) return problem(c, 404, "Not found", "There is no such file for this token.") as never;
      return c.body(bytes as Uint8Array<ArrayBuffer>, 200, {
        "Content-Type": file.type === "text/plain" ? "text/plain; charset=utf-8" : file.type,
        "Content-Disposition": contentDisposition("attachment", file.name),
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": "sandbox; default-src 'none'",
      }) as never;
    },
  );
}
