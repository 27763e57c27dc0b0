import { Hono } from "hono";
import { z } from "zod";
import { ResetPasswordPage } from "../../../views/auth/links.js";
import type { AppEnv } from "../../env.js";
import { askForLink, linkGone } from "../../http/auth/ask-link.js";
import { removeAuthCookie } from "../../http/auth/cookie.js";
import { readForm } from "../../http/forms.js";
import { refuseForm, seeOther } from "../../http/htmx.js";
import { peekLink, useLink } from "../../users/links.js";
import { withPasswordRules } from "../../users/password-rules.js";
import { setPassword } from "../../users/passwords.js";

// /password/forgot: ask for a reset link by email; /password/reset: the link's form for a new
// password. Saving it uses the link up and ends every session of the account.
export const passwordReset = new Hono<AppEnv>();
const ask = askForLink("reset");
passwordReset.get("/forgot", ask.show);
passwordReset.post("/forgot", ask.send);

passwordReset.get("/reset", async (c) => {
  const token = c.req.query("token") ?? "";
  const user = await peekLink(c.var.deps, "reset", token);
  if (!user) return linkGone(c, "reset");
  return c.render(<ResetPasswordPage token={token} name={user.name} />, {
    title: c.var.i18n.t("links.resetPasswordTitle"),
  });
});

const resetForm = withPasswordRules(z.object({ token: z.string().max(100), password: z.string() }), "password");

passwordReset.post("/reset", async (c) => {
  const { deps } = c.var;
  const form = await readForm(c, resetForm);
  const token = form.values.token ?? "";
  const user = await peekLink(deps, "reset", token);
  if (!user) return linkGone(c, "reset");
  if (!form.ok) {
    const page = <ResetPasswordPage token={token} name={user.name} errors={form.errors} />;
    return refuseForm(c, 422, page, c.var.i18n.t("links.resetPasswordTitle"));
  }
  if (!(await useLink(deps, "reset", token))) return linkGone(c, "reset");
  await setPassword(deps, user.id, form.data.password);
  removeAuthCookie(c);
  return seeOther(c, `/login?${new URLSearchParams({ email: user.email, reset: "" })}`);
});
