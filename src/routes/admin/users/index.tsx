import { Hono } from "hono";
import { PersonPage, UsersPage } from "../../../../views/admin/users.js";
import type { AppEnv } from "../../../env.js";
import { requireUser, userOf } from "../../../lib/auth/middleware.js";
import { can } from "../../../lib/authorization.js";
import { searchText } from "../../../lib/forms.js";
import { parseId } from "../../../lib/ids.js";
import { personOfUrl } from "../../../lib/person-page.js";
import { listPeople } from "../../../users/people.js";

// GET /admin/users and /admin/users/:id: everyone with an account, and one person.
export const users = new Hono<AppEnv>();
users.use(requireUser(can.manageUsers));

users.get("/", async (c) => {
  const q = searchText().parse(c.req.query("q")) || undefined;
  const { people, nextAfter } = await listPeople(c.var.deps, q, parseId(c.req.query("after")));
  const params = new URLSearchParams({ ...(q ? { q } : {}), after: String(nextAfter) });
  const nextUrl = nextAfter ? `/admin/users?${params}` : undefined;
  return c.render(<UsersPage people={people} q={q} nextUrl={nextUrl} />, { title: c.var.i18n.t("people.title") });
});

users.get("/:id{[0-9]+}", personOfUrl, (c) => {
  const { person } = c.var;
  return c.render(<PersonPage person={person} self={person.id === userOf(c).id} />, { title: person.name });
});
