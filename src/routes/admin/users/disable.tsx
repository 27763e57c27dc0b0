import { Hono } from "hono";
import { ConfirmDisablePage } from "../../../../views/admin/users.js";
import type { AppEnv } from "../../../env.js";
import { requireUser, userOf } from "../../../http/auth/middleware.js";
import { disablePerson } from "../../../users/admins.js";
import { can } from "../../../users/authorization.js";
import { answerPerson, personOfUrl, refusePerson } from "./person-page.js";

// GET /admin/users/:id/disable asks to confirm (without JavaScript); POST disables and signs out.
export const disable = new Hono<AppEnv>();
disable.use(requireUser(can.manageUsers), personOfUrl);

disable.get("/", (c) =>
  c.render(<ConfirmDisablePage person={c.var.person} />, {
    title: c.var.i18n.t("people.disableTitle", { name: c.var.person.name }),
  }),
);

disable.post("/", async (c) => {
  const { person } = c.var;
  const outcome = await disablePerson(c.var.deps, userOf(c).id, person.id);
  const { t } = c.var.i18n;
  if (outcome === "self") return refusePerson(c, 409, t("people.disableSelf"));
  if (outcome === "last admin") return refusePerson(c, 409, t("people.lastAdminDisable", { name: person.name }));
  return answerPerson(c, t("people.disabledDone", { name: person.name }));
});
