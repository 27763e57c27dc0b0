import { Hono } from "hono";
import { z } from "zod";
import { LoginPage } from "../../views/auth/login.js";
import type { AppEnv } from "../env.js";
import { setAuthCookie } from "../http/auth/cookie.js";
import { requestMeta } from "../http/auth/middleware.js";
import { safeNext } from "../http/auth/next.js";
import { linkWaitingAccount } from "../http/auth/sso-link.js";
import { tooManyAttempts } from "../http/errors.js";
import { readForm } from "../http/forms.js";
import { refuseForm, wholePage } from "../http/htmx.js";
import { msg } from "../i18n/translate.js";
import { homeOf } from "../users/authorization.js";
import { loginUser } from "../users/sign-in.js";
import { ssoProviders } from "../users/sso.js";
import { toSecondStep } from "./login-two-factor.js";

// GET and POST /login: the sign-in form, and checking it.
export const login = new Hono<AppEnv>();

const loginForm = z.object({
  email: z.string().trim().min(1, msg("login.emailMissing")).max(254, msg("login.emailMissing")),
  password: z.string().min(1, msg("login.passwordMissing")).max(1024, msg("login.incorrect")),
  next: z.string().optional(),
});

login.get("/", async (c) => {
  if (c.var.user) return c.redirect(homeOf(c.var.user), 303);
  const next = c.req.query("next");
  const email = c.req.query("email")?.slice(0, 254);
  const signedOut = c.req.query("signed-out") !== undefined;
  const reset = c.req.query("reset") !== undefined;
  const values = { email, next: next ? safeNext(next) : undefined };
  const { t } = c.var.i18n;
  const providers = await ssoProviders(c.var.deps);
  // Back from a provider whose account has this address: signing in here once links the two.
  const linking = providers.find((p) => p.slug === c.req.query("link"));
  const notice = linking ? t("sso.linkFirst", { name: linking.name }) : reset ? t("login.reset") : undefined;
  const page = <LoginPage values={values} signedOut={signedOut} notice={notice} providers={providers} />;
  return c.render(page, {
    title: signedOut ? t("login.signedOutTitle") : t("login.title"),
  });
});

login.post("/", async (c) => {
  const form = await readForm(c, loginForm);
  const page = async (errors: Record<string, string>, status: 422 | 401 = 422) => {
    const values = { email: form.values.email, next: form.values.next ? safeNext(form.values.next) : undefined };
    const providers = await ssoProviders(c.var.deps);
    const node = <LoginPage values={values} errors={errors} providers={providers} />;
    return refuseForm(c, status, node, c.var.i18n.t("login.title"));
  };
  if (!form.ok) return page(form.errors as Record<string, string>);
  const next = form.data.next ? safeNext(form.data.next) : undefined;
  const result = await loginUser(c.var.deps, { ...form.data, next }, requestMeta(c));
  if (!result.ok && result.retryAt) return tooManyAttempts(c, result.retryAt);
  if (!result.ok) return page({ email: c.var.i18n.t("login.incorrect") }, 401);
  if (result.secondStep !== undefined) return toSecondStep(c, result.secondStep);
  setAuthCookie(c, result.token, result.expiresAt);
  await linkWaitingAccount(c, result.user);
  return wholePage(c, form.data.next ? safeNext(form.data.next) : homeOf(result.user));
});
