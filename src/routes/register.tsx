import { Hono } from "hono";
import { z } from "zod";
import { RegisterPage } from "../../views/auth/register.js";
import type { FieldErrors } from "../../views/components/field.js";
import type { AppEnv } from "../env.js";
import { requestMeta } from "../http/auth/middleware.js";
import { tooManyAttempts } from "../http/errors.js";
import { setFlash } from "../http/flash.js";
import { emailField, readForm, text } from "../http/forms.js";
import { refuseForm, seeOther } from "../http/htmx.js";
import { msg } from "../i18n/translate.js";
import { homeOf } from "../users/authorization.js";
import { sendLink } from "../users/links.js";
import { withPasswordRules } from "../users/password-rules.js";
import { registerUser } from "../users/sign-in.js";

// GET and POST /register: a requester makes their own account.
export const register = new Hono<AppEnv>();

const registerForm = withPasswordRules(
  z.object({
    name: text(z, "name", 1, 100),
    email: emailField(),
    password: z.string({ error: msg("password.choose") }),
  }),
  "password",
);

register.get("/", (c) => {
  if (c.var.user) return c.redirect(homeOf(c.var.user), 303);
  return c.render(<RegisterPage />, { title: c.var.i18n.t("register.title") });
});

register.post("/", async (c) => {
  const form = await readForm(c, registerForm);
  const page = (errors: FieldErrors) => {
    const view = <RegisterPage values={{ name: form.values.name, email: form.values.email }} errors={errors} />;
    return refuseForm(c, 422, view, c.var.i18n.t("register.title"));
  };
  if (!form.ok) return page(form.errors);
  const result = await registerUser(c.var.deps, form.data, requestMeta(c));
  if (!result.ok) return tooManyAttempts(c, result.retryAt);
  // The mailbox's owner gets a link: to go on signed in without typing the password again (which
  // confirms the address), or, for an account made without a password, to set one. A taken
  // address's owner gets a sign-in link they did not ask for, and nobody learns it was taken.
  await sendLink(c.var.deps, result.withoutPassword ? "reset" : "signin", form.data.email, requestMeta(c));
  // The same words whether the address was new or taken: they confirm no account.
  setFlash(c, c.var.i18n.t("register.done"));
  return seeOther(c, `/login?${new URLSearchParams({ email: form.data.email })}`);
});
