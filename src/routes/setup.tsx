import { Hono } from "hono";
import { z } from "zod";
import type { AppEnv, Ctx } from "../env.js";
import { setAuthCookie } from "../lib/auth/cookie.js";
import { requestMeta } from "../lib/auth/middleware.js";
import { hashPassword, passwordProblem } from "../lib/auth/passwords.js";
import { normaliseEmail, startSession } from "../lib/auth/session.js";
import { renderError } from "../lib/errors.js";
import { setFlash } from "../lib/flash.js";
import { readForm, text } from "../lib/forms.js";
import { consumeSetupToken, setupTokenValid } from "../lib/setup.js";
import { SetupPage } from "../../views/setup/index.js";

// The one-time link printed at start when there is no admin yet.
export const setup = new Hono<AppEnv>();

const invalid = (c: Ctx) =>
  renderError(
    c,
    404,
    "This setup link does not work",
    "It was already used, or a newer one was printed when the server restarted. Ask whoever runs the server.",
  );

const usable = async (c: Ctx, token: string | undefined) =>
  (await setupTokenValid(c.var.deps, token)) && (await c.var.deps.db.user.count({ where: { role: "admin" } })) === 0;

setup.get("/setup", async (c) => {
  const token = c.req.query("token");
  if (!(await usable(c, token))) return invalid(c);
  return c.render(<SetupPage token={token!} />, { title: "Create the first admin" });
});

const setupForm = z.object({
  token: z.string().max(100),
  name: text(z, "your name", 1, 100),
  email: z.string().trim().toLowerCase().pipe(z.email("Enter an email address like name@example.com.")),
  password: z.string(),
});

setup.post("/setup", async (c) => {
  const { deps } = c.var;
  const form = await readForm(c, setupForm);
  if (!(await usable(c, form.values.token))) return invalid(c);
  const errors: Record<string, string> = form.ok ? {} : (form.errors as Record<string, string>);
  const problem = passwordProblem(form.values.password ?? "", { email: form.values.email });
  if (problem) errors.password ??= problem;
  if (!errors.email && (await deps.db.user.findUnique({ where: { email: normaliseEmail(form.values.email ?? "") } })))
    errors.email = "An account with this email exists; use another address.";
  if (!form.ok || Object.keys(errors).length) {
    c.status(422);
    return c.render(<SetupPage token={form.values.token!} values={form.values} errors={errors} />, {
      title: "Create the first admin",
    });
  }
  const passwordHash = await hashPassword(form.data.password, deps.config.bcryptCost);
  // The token is used up in the same transaction that creates the admin: two forms sent at once
  // (a double click, two operators) make one admin, and the other sees the link as used.
  const user = await deps.db.$transaction(async (tx) =>
    (await consumeSetupToken(tx, form.data.token))
      ? tx.user.create({ data: { name: form.data.name, email: form.data.email, role: "admin", passwordHash } })
      : null,
  );
  if (!user) return invalid(c);
  const session = await startSession(
    deps,
    { id: user.id, email: user.email, name: user.name, role: "admin" },
    requestMeta(c),
  );
  setAuthCookie(c, session.token, session.expiresAt);
  setFlash(c, "Your admin account is ready. Make colleagues agents from People.");
  return c.redirect("/admin/users", 303);
});
