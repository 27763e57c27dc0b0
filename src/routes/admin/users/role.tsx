import { Hono } from "hono";
import { z } from "zod";
import { ConfirmRolePanel } from "../../../../views/admin/users.js";
import type { AppEnv } from "../../../env.js";
import { requireUser } from "../../../http/auth/middleware.js";
import { readForm } from "../../../http/forms.js";
import { fragment, isPartial } from "../../../http/htmx.js";
import { changeRole } from "../../../users/admins.js";
import { can, ROLES } from "../../../users/authorization.js";
import { answerPerson, personOfUrl, refusePerson } from "./person-page.js";

// POST /admin/users/:id/role: requester, agent or admin; the last admin stays one. Making
// someone an admin, or taking it away, is confirmed first.
export const role = new Hono<AppEnv>();
role.use(requireUser(can.manageUsers), personOfUrl);

const roleForm = z.object({ role: z.enum(ROLES), confirm: z.literal("1").optional().catch(undefined) });

role.post("/", async (c) => {
  const { person } = c.var;
  const form = await readForm(c, roleForm);
  const { t } = c.var.i18n;
  if (!form.ok) return refusePerson(c, 422, t("people.chooseRole"));
  // Giving or taking admin rights is asked once more, with what it means (in place with htmx).
  const weighty = form.data.role !== person.role && (form.data.role === "admin" || person.role === "admin");
  if (weighty && !form.data.confirm) {
    const panel = <ConfirmRolePanel person={person} role={form.data.role} />;
    if (isPartial(c)) return fragment(c, panel);
    return c.render(<section>{panel}</section>, { title: t("people.roleTitle", { name: person.name }) });
  }
  const outcome = await changeRole(c.var.deps, person.id, form.data.role);
  if (outcome === "last admin") return refusePerson(c, 409, t("people.lastAdminRole", { name: person.name }));
  return answerPerson(c, t("people.nowRole", { name: person.name, role: form.data.role }));
});
