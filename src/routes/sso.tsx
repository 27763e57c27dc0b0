import { Hono } from "hono";
import { SsoRefusedPage } from "../../views/auth/sso.js";
import type { SsoSettings } from "../config.js";
import type { AppEnv, Ctx } from "../env.js";
import { setAuthCookie } from "../http/auth/cookie.js";
import { requestMeta } from "../http/auth/middleware.js";
import { safeNext } from "../http/auth/next.js";
import { setSsoLinkCookie, setSsoStateCookie, takeSsoStateCookie } from "../http/auth/sso-link.js";
import { wholePage } from "../http/htmx.js";
import type { MessageKey } from "../i18n/translate.js";
import { homeOf } from "../users/authorization.js";
import { logoutUser } from "../users/sessions.js";
import { callbackUrl, finishSso, type SsoOutcome, SsoUnreachable, ssoProvider, startSso } from "../users/sso.js";
import { toSecondStep } from "./login-two-factor.js";

// GET /login/sso/<provider>: off to the provider to sign in; GET /login/sso/<provider>/callback:
// back from it. Both plain links and redirects, so they work without JavaScript.
export const sso = new Hono<AppEnv>();

const REFUSED: Record<Extract<SsoOutcome, { kind: "refused" }>["reason"] | "cancelled" | "unreachable", MessageKey> = {
  expired: "sso.expired",
  failed: "sso.failed",
  unverified: "sso.unverified",
  unknown: "sso.unknown",
  disabled: "sso.disabled",
  "no-email": "sso.noEmail",
  cancelled: "sso.cancelled",
  unreachable: "sso.unreachable",
};

function refused(c: Ctx, p: SsoSettings, reason: keyof typeof REFUSED) {
  const { t } = c.var.i18n;
  c.status(reason === "unreachable" ? 502 : reason === "expired" || reason === "failed" ? 400 : 403);
  return c.render(<SsoRefusedPage message={t(REFUSED[reason], { name: p.name })} providerName={p.name} />, {
    title: t("sso.refusedTitle", { name: p.name }),
  });
}

sso.get("/:slug{[a-z0-9-]{1,40}}", async (c) => {
  const p = await ssoProvider(c.var.deps, c.req.param("slug"));
  if (!p) return c.notFound();
  const next = c.req.query("next");
  try {
    const start = await startSso(c.var.deps, p, next ? safeNext(next) : undefined);
    setSsoStateCookie(c, start.token, start.minutes);
    return c.redirect(start.url, 303);
  } catch (error) {
    if (error instanceof SsoUnreachable) {
      c.var.deps.log({ level: "warn", msg: "single sign-on provider unreachable", error: error.message });
      return refused(c, p, "unreachable");
    }
    throw error;
  }
});

sso.get("/:slug{[a-z0-9-]{1,40}}/callback", async (c) => {
  const { deps } = c.var;
  const p = await ssoProvider(deps, c.req.param("slug"));
  if (!p) return c.notFound();
  const token = takeSsoStateCookie(c);
  // The person turned back at the provider (or it refused them): nothing to exchange.
  if (c.req.query("error")) return refused(c, p, c.req.query("error") === "access_denied" ? "cancelled" : "failed");
  const current = new URL(callbackUrl(deps, p.slug) + new URL(c.req.url).search);
  const outcome = await finishSso(deps, p, token, current, requestMeta(c)).catch((error) => {
    if (error instanceof SsoUnreachable) return "unreachable" as const;
    throw error;
  });
  if (outcome === "unreachable") return refused(c, p, "unreachable");
  if (outcome.kind === "refused") return refused(c, p, outcome.reason);
  if (outcome.kind === "second-step") return toSecondStep(c, outcome.token);
  if (outcome.kind === "link") {
    setSsoLinkCookie(c, outcome.token, outcome.minutes);
    return wholePage(c, `/login?${new URLSearchParams({ email: outcome.email, link: p.slug })}`);
  }
  // Someone else signed in on this browser (a kiosk) is signed out first, on the server too.
  if (c.var.sessionId) await logoutUser(deps, c.var.sessionId);
  setAuthCookie(c, outcome.token, outcome.expiresAt);
  return wholePage(c, outcome.next ? safeNext(outcome.next) : homeOf(outcome.user));
});
