import { Hono } from "hono";
import { z } from "zod";
import type { FieldErrors } from "../../views/components/field.js";
import { SetupPage } from "../../views/setup/index.js";
import type { AppEnv, Ctx } from "../env.js";
import { setAuthCookie } from "../http/auth/cookie.js";
import { requestMeta } from "../http/auth/middleware.js";
import { renderError } from "../http/errors.js";
import { setFlash } from "../http/flash.js";
import { emailField, readForm, text } from "../http/forms.js";
import { refuseForm } from "../http/htmx.js";
import { withPasswordRules } from "../users/password-rules.js";
import { startSession } from "../users/sessions.js";
import { createFirstAdmin, setupTokenValid } from "../users/setup.js";
import { normaliseEmail } from "../users/sign-in.js";

// GET and POST /setup: the one-time link printed at start when there is no admin yet.
export const setup = new Hono<AppEnv>();

const invalid = (c: Ctx) => renderError(c, 404, c.var.i18n.t("setup.goneTitle"), c.var.i18n.t("setup.gone"));

const usable = async (c: Ctx, token: string | undefined) =>
  (await setupTokenValid(c.var.deps, token)) && (await c.var.deps.db.user.count({ where: { role: "admin" } })) === 0;

setup.get("/", async (c) => {
  const token = c.req.query("token");
  if (!(await usable(c, token))) return invalid(c);
  return c.render(<SetupPage token={token!} />, { title: c.var.i18n.t("setup.title") });
});

const setupForm = withPasswordRules(
  z.object({
    token: z.string().max(100),
    name: text(z, "name", 1, 100),
    email: emailField(),
    password: z.string(),
  }),
  "password",
);

setup.post("/", async (c) => {
  const { deps } = c.var;
  const form = await readForm(c, setupForm);
  if (!(await usable(c, form.values.token))) return invalid(c);
  const errors: FieldErrors = form.ok ? {} : { ...form.errors };
  const email = normaliseEmail(form.values.email ?? "");
  if (!errors.email && (await deps.db.user.findUnique({ where: { email } }))) {
    errors.email = c.var.i18n.t("setup.emailTaken");
  }
  if (!form.ok || Object.keys(errors).length) {
    const page = <SetupPage token={form.values.token!} values={form.values} errors={errors} />;
    return refuseForm(c, 422, page, c.var.i18n.t("setup.title"));
  }
  const user = await createFirstAdmin(deps, form.data.token, form.data);
  if (!user) return invalid(c);
  const session = await startSession(deps, { ...user, role: "admin" }, requestMeta(c));
  setAuthCookie(c, session.token, session.expiresAt);
  setFlash(c, c.var.i18n.t("setup.ready"));
  return c.redirect("/admin/users", 303);
});
