import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { Deps } from "../env.js";
import { requestMeta } from "../http/auth/middleware.js";
import { changeRole, disablePerson, enablePerson } from "../users/admins.js";
import { isAdmin, ROLES } from "../users/authorization.js";
import { sendLink } from "../users/links.js";
import { addPerson, listPeople } from "../users/people.js";
import { normaliseEmail } from "../users/sign-in.js";
import { type ApiEnv, problem } from "./problem.js";

// The API's people (admins, with the admin scope): list, add (invited by email, as on
// /admin/users/new), change a role, disable and enable, through the same functions as the admin
// pages (the last admin stays one; nobody disables themselves).

const security = [{ bearer: [] }];

const Person = z
  .object({
    id: z.number().int(),
    name: z.string(),
    email: z.string(),
    role: z.enum(ROLES),
    disabled: z.boolean(),
    createdAt: z.string().openapi({ format: "date-time" }),
  })
  .openapi("Person");
const NewPerson = z
  .object({
    name: z.string().trim().min(1).max(100),
    email: z.email().max(254),
    role: z.enum(ROLES),
  })
  .openapi("NewPerson");
const PersonChanges = z
  .object({ role: z.enum(ROLES).optional(), disabled: z.boolean().optional() })
  .openapi("PersonChanges");

type Row = { id: number; name: string; email: string; role: string; disabledAt: Date | null; createdAt: Date };
const personJson = (u: Row) => ({
  id: u.id,
  name: u.name,
  email: u.email,
  role: u.role as (typeof ROLES)[number],
  disabled: u.disabledAt !== null,
  createdAt: u.createdAt.toISOString(),
});

export function registerPeople(
  api: OpenAPIHono<ApiEnv>,
  deps: Deps,
  problems: (...codes: (401 | 403 | 404 | 409 | 412 | 415 | 422)[]) => Record<string, unknown>,
) {
  /** The token's owner must be an admin now (the scope alone is not enough). */
  const admins = (c: Context<ApiEnv>) =>
    isAdmin(c.var.caller.user) ? null : problem(c, 403, "Forbidden", "People are managed by admins.");
  const json = { "application/json": { schema: Person } };
  const byId = async (id: number) => deps.db.user.findUnique({ where: { id } });

  api.openapi(
    createRoute({
      method: "get",
      path: "/people",
      summary: "Admins: everyone with an account, 50 a page in id order, optionally matching a name or email",
      security,
      request: {
        query: z.object({
          q: z.string().max(200).optional(),
          after: z.coerce.number().int().positive().optional().openapi({ description: "The previous page's `next`" }),
        }),
      },
      responses: {
        200: {
          description: "A page of people",
          content: {
            "application/json": {
              schema: z.object({ people: z.array(Person), next: z.number().int().nullable() }).openapi("PeopleList"),
            },
          },
        },
        ...problems(401, 403, 422),
      },
    }),
    async (c) => {
      const refused = admins(c);
      if (refused) return refused as never;
      const { q, after } = c.req.valid("query");
      const { people, nextAfter } = await listPeople(deps, q, after ?? null);
      return c.json({ people: people.map(personJson), next: nextAfter ?? null }, 200);
    },
  );

  api.openapi(
    createRoute({
      method: "post",
      path: "/people",
      summary: "Admins: add a person, who is emailed a link to choose a password",
      security,
      request: { body: { content: { "application/json": { schema: NewPerson } }, required: true } },
      responses: { 201: { description: "The person", content: json }, ...problems(401, 403, 409, 415, 422) },
    }),
    async (c) => {
      const refused = admins(c);
      if (refused) return refused as never;
      const input = c.req.valid("json");
      const email = normaliseEmail(input.email);
      const added = await addPerson(deps, { ...input, email });
      if (!added) return problem(c, 409, "Conflict", "That address already has an account.") as never;
      await sendLink(deps, "reset", email, requestMeta(c as never), { by: c.var.caller.user.name, role: input.role });
      c.header("Location", `/api/v1/people/${added.id}`);
      return c.json(personJson((await byId(added.id))!), 201);
    },
  );

  api.openapi(
    createRoute({
      method: "patch",
      path: "/people/{id}",
      summary: "Admins: a person's role, or disabled (their sessions and tokens stop at once) / enabled",
      security,
      request: {
        params: z.object({ id: z.coerce.number().int().positive().max(2_147_483_647) }),
        body: { content: { "application/json": { schema: PersonChanges } }, required: true },
      },
      responses: { 200: { description: "The person now", content: json }, ...problems(401, 403, 404, 409, 415, 422) },
    }),
    async (c) => {
      const refused = admins(c);
      if (refused) return refused as never;
      const { id } = c.req.valid("param");
      const { role, disabled } = c.req.valid("json");
      const person = await byId(id);
      if (!person || person.erasedAt) return problem(c, 404, "Not found", `There is no person #${id}.`) as never;
      if (role !== undefined && role !== person.role) {
        const outcome = await changeRole(deps, id, role);
        if (outcome === "last admin")
          return problem(c, 409, "Conflict", "The last active admin stays an admin.") as never;
      }
      if (disabled === true && !person.disabledAt) {
        const outcome = await disablePerson(deps, c.var.caller.user.id, id);
        if (outcome === "self") return problem(c, 409, "Conflict", "Nobody disables their own account.") as never;
        if (outcome === "last admin")
          return problem(c, 409, "Conflict", "The last active admin stays enabled.") as never;
      }
      if (disabled === false && person.disabledAt) await enablePerson(deps, id);
      return c.json(personJson((await byId(id))!), 200);
    },
  );
}
