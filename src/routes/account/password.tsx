import { Hono } from "hono";
import { z } from "zod";
import { PasswordForm } from "../../../views/account/index.js";
import type { FieldErrors } from "../../../views/components/field.js";
import type { AppEnv } from "../../env.js";
import { requestMeta, requireUser, userOf } from "../../http/auth/middleware.js";
import { tooManyAttempts } from "../../http/errors.js";
import { readForm } from "../../http/forms.js";
import { done, refuseForm } from "../../http/htmx.js";
import { msg } from "../../i18n/translate.js";
import { withPasswordRules } from "../../users/password-rules.js";
import { checkCurrentPassword, setPassword } from "../../users/passwords.js";

// POST /account/password: a new password, confirmed with the current one; other sessions end.
export const password = new Hono<AppEnv>();
password.use(requireUser());

const passwordForm = withPasswordRules(
  z.object({ current_password: z.string().min(1, msg("account.currentMissing")), new_password: z.string() }),
  "new_password",
);

password.post("/", async (c) => {
  const { deps } = c.var;
  const user = userOf(c);
  const form = await readForm(c, passwordForm);
  const errors: FieldErrors = form.ok ? {} : { ...form.errors };
  if (!errors.current_password) {
    const right = await checkCurrentPassword(deps, user.id, form.values.current_password ?? "", requestMeta(c));
    if (right instanceof Date) return tooManyAttempts(c, right);
    if (!right) errors.current_password = c.var.i18n.t("account.currentWrong");
  }
  if (!form.ok || Object.keys(errors).length) {
    return refuseForm(c, 422, <PasswordForm errors={errors} />, c.var.i18n.t("account.title"));
  }
  const ended = await setPassword(deps, user.id, form.data.new_password, c.var.sessionId!);
  const message = c.var.i18n.t("account.passwordChanged", { others: ended });
  return done(c, message, "/account", () => <PasswordForm />);
});
