import { Hono } from "hono";
import { z } from "zod";
import type { AppEnv, Ctx } from "../env.js";
import { setAuthCookie, removeAuthCookie } from "../lib/auth/cookie.js";
import { requestMeta } from "../lib/auth/middleware.js";
import { passwordProblem } from "../lib/auth/passwords.js";
import { loginUser, logoutUser, registerUser } from "../lib/auth/session.js";
import { setFlash } from "../lib/flash.js";
import { readForm, text } from "../lib/forms.js";
import { isPartial, respond, seeOther } from "../lib/htmx.js";
import { LoginPage } from "../../views/auth/login.js";
import { RegisterPage } from "../../views/auth/register.js";
import { ErrorPage } from "../../views/errors/error.js";

export const auth = new Hono<AppEnv>();

const HERE = "http://hyperdesk.invalid";

/**
 * Only a path on this site: `//evil.example`, `https://...`, `/\evil` and `/\t/evil` all become
 * /tickets. Read the way a browser reads a Location, and given back percent-encoded, so the
 * header is plain ASCII whatever the path held.
 */
export function safeNext(next: string | undefined): string {
  if (!next?.startsWith("/")) return "/tickets";
  const url = URL.canParse(next, HERE) ? new URL(next, HERE) : undefined;
  return url?.origin === HERE ? url.pathname + url.search + url.hash : "/tickets";
}

const retryMessage = (retryAt: Date, now: Date) => {
  const minutes = Math.max(1, Math.ceil((retryAt.getTime() - now.getTime()) / 60_000));
  return `Too many attempts. For your safety, please wait ${minutes} minute${minutes === 1 ? "" : "s"} and try again.`;
};

function tooMany(c: Ctx, retryAt: Date) {
  const now = c.var.deps.clock.now();
  c.header("Retry-After", String(Math.max(1, Math.ceil((retryAt.getTime() - now.getTime()) / 1000))));
  c.status(429);
  const body = <ErrorPage title="Please wait" message={retryMessage(retryAt, now)} />;
  return respond(c, body, "Please wait");
}

const loginForm = z.object({
  email: z.string().trim().min(1, "Enter your email address.").max(254, "Enter your email address."),
  password: z.string().min(1, "Enter your password.").max(1024, "Email or password is incorrect."),
  next: z.string().optional(),
});

auth.get("/login", (c) => {
  if (c.var.user) return c.redirect("/tickets", 303);
  const next = c.req.query("next");
  return c.render(<LoginPage values={{ next: next ? safeNext(next) : undefined }} />, { title: "Sign in" });
});

auth.post("/login", async (c) => {
  const form = await readForm(c, loginForm);
  const page = (errors: Record<string, string>, status: 422 | 401 = 422) => {
    const values = { email: form.values.email, next: form.values.next ? safeNext(form.values.next) : undefined };
    c.status(status);
    return respond(c, <LoginPage values={values} errors={errors} />, "Sign in");
  };
  if (!form.ok) return page(form.errors as Record<string, string>);
  const result = await loginUser(c.var.deps, form.data, requestMeta(c));
  if (!result.ok) {
    if (result.retryAt) return tooMany(c, result.retryAt);
    return page({ email: "Email or password is incorrect." }, 401);
  }
  setAuthCookie(c, result.token, result.expiresAt);
  return seeOther(c, safeNext(form.data.next));
});

const registerForm = z.object({
  name: text(z, "your name", 1, 100),
  email: z
    .string()
    .trim()
    .toLowerCase()
    .max(254, "Use an email address of at most 254 characters.")
    .pipe(z.email("Enter an email address like name@example.com.")),
  password: z.string({ error: "Choose a password." }),
});

auth.get("/register", (c) => {
  if (c.var.user) return c.redirect("/tickets", 303);
  return c.render(<RegisterPage />, { title: "Create your account" });
});

auth.post("/register", async (c) => {
  const form = await readForm(c, registerForm);
  const errors: Record<string, string> = form.ok ? {} : (form.errors as Record<string, string>);
  const problem = passwordProblem(form.values.password ?? "", { email: form.values.email, name: form.values.name });
  if (problem) errors.password ??= problem;
  const page = (errs: Record<string, string>) => {
    c.status(422);
    const view = <RegisterPage values={{ name: form.values.name, email: form.values.email }} errors={errs} />;
    return respond(c, view, "Create your account");
  };
  if (!form.ok || Object.keys(errors).length) return page(errors);
  const result = await registerUser(c.var.deps, form.data, requestMeta(c));
  if (!result.ok) {
    if ("retryAt" in result) return tooMany(c, result.retryAt);
    return page({ email: "An account with this email already exists. Sign in instead?" });
  }
  setAuthCookie(c, result.token, result.expiresAt);
  setFlash(c, `Welcome, ${result.user.name}. Your account is ready.`);
  return seeOther(c, "/tickets");
});

auth.post("/logout", async (c) => {
  if (c.var.sessionId) await logoutUser(c.var.deps, c.var.sessionId);
  removeAuthCookie(c);
  // Wipe what this browser kept of the session: on a kiosk, Back must show nothing private.
  c.header("Clear-Site-Data", '"cache", "cookies", "storage"');
  if (isPartial(c) || c.req.header("HX-Request") === "true") {
    c.header("HX-Redirect", "/login");
    return c.body(null, 204);
  }
  return c.redirect("/login", 303);
});
