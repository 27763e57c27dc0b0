import { Hono } from "hono";
import { z } from "zod";
import type { FieldErrors } from "../../views/components/field.js";
import { SetupPage } from "../../views/setup/index.js";
import type { AppEnv, Ctx } from "../env.js";
import { setAuthCookie } from "../lib/auth/cookie.js";
import { requestMeta } from "../lib/auth/middleware.js";
import { withPasswordRules } from "../lib/auth/passwords.js";
import { normaliseEmail, startSession } from "../lib/auth/session.js";
import { renderError } from "../lib/errors.js";
import { setFlash } from "../lib/flash.js";
import { emailField, readForm, text } from "../lib/forms.js";
import { createFirstAdmin, setupTokenValid } from "../lib/setup.js";

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
    c.status(422);
    return c.render(<SetupPage token={form.values.token!} values={form.values} errors={errors} />, {
      title: c.var.i18n.t("setup.title"),
    });
  }
  const user = await createFirstAdmin(deps, form.data.token, form.data);
  if (!user) return invalid(c);
  const session = await startSession(deps, { ...user, role: "admin" }, requestMeta(c));
  setAuthCookie(c, session.token, session.expiresAt);
  setFlash(c, c.var.i18n.t("setup.ready"));
  return c.redirect("/admin/users", 303);
});
