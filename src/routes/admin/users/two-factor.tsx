import { Hono } from "hono";
import { ConfirmResetTwoFactorPage } from "../../../../views/admin/users.js";
import type { AppEnv } from "../../../env.js";
import { requireUser, userOf } from "../../../http/auth/middleware.js";
import { can } from "../../../users/authorization.js";
import { turnOff } from "../../../users/two-factor.js";
import { answerPerson, personOfUrl, refusePerson } from "./person-page.js";

// GET /admin/users/:id/two-factor asks to confirm (without JavaScript); POST turns the person's
// two-factor off (a lost phone and no recovery codes): recorded in their history, and they are mailed.
export const personTwoFactor = new Hono<AppEnv>();
personTwoFactor.use(requireUser(can.manageUsers), personOfUrl);

personTwoFactor.get("/", (c) =>
  c.render(<ConfirmResetTwoFactorPage person={c.var.person} />, {
    title: c.var.i18n.t("people.resetTwoFactorTitle", { name: c.var.person.name }),
  }),
);

personTwoFactor.post("/", async (c) => {
  const { person } = c.var;
  const { t } = c.var.i18n;
  // One's own is turned off on /account/two-factor, with a code.
  if (person.id === userOf(c).id) return refusePerson(c, 409, t("people.resetTwoFactorSelf"));
  if (!person.twoFactor) return refusePerson(c, 409, t("people.resetTwoFactorNone", { name: person.name }));
  await turnOff(c.var.deps, person.id, userOf(c).id);
  return answerPerson(c, t("people.resetTwoFactorDone", { name: person.name }));
});
