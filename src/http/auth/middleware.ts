import type { Context, MiddlewareHandler } from "hono";
import { createMiddleware } from "hono/factory";
import type { AppEnv, CurrentUser } from "../../env.js";
import { languageOf } from "../../i18n/middleware.js";
import { i18nFor } from "../../i18n/translate.js";
import { isStaff } from "../../users/authorization.js";
import { getCurrentUser, type RequestMeta } from "../../users/sessions.js";
import { mustSetUp2fa } from "../../users/two-factor.js";
import { renderError } from "../errors.js";
import { readFlash } from "../flash.js";
import { isHtmx, isPartial } from "../htmx.js";
import { TooManyParts } from "../multipart.js";
import { BodyTooLarge, bodyTooLarge } from "../uploads.js";
import { getAuthCookie } from "./cookie.js";
import { csrfProblem, csrfToken, senderOfEndedSession } from "./csrf.js";
import { signInAgain } from "./ended-session.js";

/** Who is asking, on every request: the user (or null), the CSRF token and any flash message. */
export const loadSession: MiddlewareHandler<AppEnv> = createMiddleware<AppEnv>(async (c, next) => {
  const current = await getCurrentUser(c.var.deps, getAuthCookie(c));
  c.set("user", current?.user ?? null);
  // A person's own language setting comes before anything the browser says.
  if (current?.user.language) c.set("i18n", i18nFor(languageOf(c, current.user)));
  c.set("sessionId", current?.sessionId ?? null);
  c.set("csrfToken", csrfToken(c));
  c.set("flash", readFlash(c));
  await next();
  // Nothing a signed-in person sees may stay in a shared browser's cache.
  // (On the answer's own headers: c.header() on a finished answer rebuilds it from a body stream.)
  if (!c.res.headers.has("Cache-Control")) c.res.headers.set("Cache-Control", "no-store");
});

/** Refuses state-changing requests without this browser's CSRF token or from another site. */
export const checkCsrf: MiddlewareHandler<AppEnv> = createMiddleware<AppEnv>(async (c, next) => {
  const problem = await csrfProblem(c).catch((error) => {
    if (error instanceof TooManyParts) return "too many parts";
    if (error instanceof BodyTooLarge) return "too large";
    throw error;
  });
  if (problem === "too many parts") return refuseManyParts(c);
  if (problem === "too large") return bodyTooLarge(c);
  if (!problem) return next();
  // Signing out after the session already ended (idle timeout on a kiosk) protects nothing: let
  // it clear the browser instead of calling the form expired.
  if (c.req.path === "/logout" && !c.var.user) return next();
  if (problem === "missing or wrong CSRF token" && !c.var.user) {
    const sender = await senderOfEndedSession(c);
    if (sender !== undefined) return signInAgain(c, sender);
  }
  if (problem === "unreadable form body")
    return renderError(c, 400, c.var.i18n.t("error.unreadableTitle"), c.var.i18n.t("error.unreadable"));
  c.var.deps.log({ level: "warn", id: c.var.requestId, msg: `refused: ${problem}`, path: c.req.path });
  return renderError(c, 403, c.var.i18n.t("error.expiredTitle"), c.var.i18n.t("error.expired"));
});

/** 413 for a multipart body with more parts than any form of ours; the connection closes (its rest is never read). */
export function refuseManyParts(c: Context<AppEnv>) {
  c.header("Connection", "close");
  return renderError(c, 413, c.var.i18n.t("error.unreadableTitle"), c.var.i18n.t("error.tooManyParts"));
}

export function signInLocation(c: Context<AppEnv>): string {
  const next = c.req.method === "GET" ? c.req.path + (new URL(c.req.url).search || "") : "/tickets";
  return `/login?next=${encodeURIComponent(next)}`;
}

/** Signed-in pages: anyone else is sent to sign in, and comes back after. */
export function requireUser(allowed?: (user: CurrentUser) => boolean): MiddlewareHandler<AppEnv> {
  return createMiddleware<AppEnv>(async (c, next) => {
    const user = c.var.user;
    if (!user) {
      if (isPartial(c)) {
        c.header("HX-Redirect", signInLocation(c));
        return c.body(null, 204);
      }
      return c.redirect(signInLocation(c), 303);
    }
    if (allowed && !allowed(user))
      return renderError(c, 403, c.var.i18n.t("error.forbiddenTitle"), c.var.i18n.t("error.forbidden"));
    await next();
  });
}

/** Where a person who must set up two-factor first may still go. */
const SET_UP_FIRST_ALLOWS = /^\/(account\/two-factor(\/.*)?|logout|language)$/;

/**
 * Agents and admins, where two-factor is required, set it up before anything else: every other
 * page sends them to /account/two-factor (signing out and the language menu still work).
 */
export const requireTwoFactorSetUp: MiddlewareHandler<AppEnv> = createMiddleware<AppEnv>(async (c, next) => {
  const user = c.var.user;
  if (!user || user.twoFactor || !isStaff(user) || SET_UP_FIRST_ALLOWS.test(c.req.path)) return next();
  if (!(await mustSetUp2fa(c.var.deps, user))) return next();
  if (isHtmx(c)) {
    c.header("HX-Redirect", "/account/two-factor");
    return c.body(null, 204);
  }
  return c.redirect("/account/two-factor", 303);
});

/**
 * The signed-in person of a request that passed `requireUser()`, typed (no `userOf(c)`); a route
 * that forgot the guard fails loudly here instead of reading null.
 */
export function userOf(c: Context<AppEnv>): CurrentUser {
  const user = c.var.user;
  if (!user) throw new Error(`${c.req.method} ${c.req.path}: userOf() needs requireUser() to run first`);
  return user;
}

/**
 * The client's address for throttling. Behind TRUST_PROXY=N proxies that each append the address
 * they received from, the client is the Nth X-Forwarded-For entry from the right: everything left
 * of it the client wrote itself. Without proxies (0), the socket's peer.
 */
export function requestMeta(c: Context<AppEnv>): RequestMeta {
  const hops = c.var.deps.config.trustProxy;
  const forwarded = hops ? (c.req.header("X-Forwarded-For") ?? "").split(",").map((a) => a.trim()) : [];
  const incoming = (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming;
  const address = (hops && forwarded[forwarded.length - hops]) || incoming?.socket?.remoteAddress || "unknown";
  return { userAgent: c.req.header("User-Agent") ?? "", address: address.slice(0, 100), language: c.var.i18n?.lang };
}
