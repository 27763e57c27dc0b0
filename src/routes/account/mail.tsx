import { Hono } from "hono";
import { MailForm } from "../../../views/account/index.js";
import type { AppEnv } from "../../env.js";
import { requireUser, userOf } from "../../http/auth/middleware.js";
import { checkedValues } from "../../http/forms.js";
import { done } from "../../http/htmx.js";
import { mailSettings, saveMailSettings } from "../../mail/settings.js";

// POST /account/mail: which emails the signed-in person gets. A box left unticked is off; a kind
// the person cannot choose (staff kinds for a requester) is ignored.
export const mail = new Hono<AppEnv>();
mail.use(requireUser());

mail.post("/", async (c) => {
  const user = userOf(c);
  const on = new Set(await checkedValues(c, "on"));
  await saveMailSettings(c.var.deps.db, user, on);
  return done(c, c.var.i18n.t("account.mailSaved"), "/account#mail", async () => (
    <MailForm settings={await mailSettings(c.var.deps.db, user)} />
  ));
});
