import { Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "../../../env.js";
import { can, ROLES } from "../../../lib/authorization.js";
import { requireUser } from "../../../lib/auth/middleware.js";
import { readForm } from "../../../lib/forms.js";
import { answerPerson, personOfUrl, refusePerson } from "../../../lib/person-page.js";
import { changeRole } from "../../../users/admins.js";

// POST /admin/users/:id/role: requester, agent or admin; the last admin stays one.
export const role = new Hono<AppEnv>();
role.use(requireUser(can.manageUsers), personOfUrl);

role.post("/", async (c) => {
  const { person } = c.var;
  const form = await readForm(c, z.object({ role: z.enum(ROLES) }));
  if (!form.ok) return refusePerson(c, 422, "Choose requester, agent or admin.");
  const outcome = await changeRole(c.var.deps, person.id, form.data.role);
  if (outcome === "last admin")
    return refusePerson(c, 409, `${person.name} is the last admin; make someone else an admin first.`);
  const article = /^[aeiou]/.test(form.data.role) ? "an" : "a";
  return answerPerson(c, `${person.name} is now ${article} ${form.data.role}.`);
});
