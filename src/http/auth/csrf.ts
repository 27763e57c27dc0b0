import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import type { Context } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import { LRUCache } from "lru-cache";
import type { AppEnv } from "../../env.js";
import { formBody } from "../forms.js";
import { TooManyParts } from "../multipart.js";
import { BodyTooLarge } from "../uploads.js";
import { getAuthCookie } from "./cookie.js";
import { verifyAuthToken } from "./token.js";

const ANON_COOKIE = "hyperdesk_csrf";
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

const hmacFor = (secret: Uint8Array, id: string) =>
  createHmac("sha256", secret).update(`csrf:${id}`).digest("base64url");

/** A session's token, worked out once per process (every page view needs it); at the bound it starts over. */
const bySession = new WeakMap<Uint8Array, LRUCache<string, string>>();
const MAX_TOKENS = 10_000;
function tokenFor(secret: Uint8Array, id: string): string {
  let known = bySession.get(secret);
  if (!known) {
    known = new LRUCache({ max: MAX_TOKENS });
    bySession.set(secret, known);
  }
  let token = known.get(id);
  if (token === undefined) {
    token = hmacFor(secret, id);
    known.set(id, token);
  }
  return token;
}

/**
 * The CSRF token of this browser: bound to the session when signed in, else to a random
 * pre-session cookie (so the sign-in and register forms are protected too).
 */
export function csrfToken(c: Context<AppEnv>): string {
  const { config } = c.var.deps;
  if (c.var.sessionId) return tokenFor(config.authSecret, c.var.sessionId);
  const prefix = config.secure ? ("host" as const) : undefined;
  let anon = getCookie(c, ANON_COOKIE, prefix);
  if (!anon || !/^[A-Za-z0-9_-]{22,64}$/.test(anon)) {
    anon = randomBytes(18).toString("base64url");
    setCookie(c, ANON_COOKIE, anon, { path: "/", httpOnly: true, secure: config.secure, sameSite: "Lax", prefix });
  }
  return tokenFor(config.authSecret, `anon:${anon}`);
}

const same = (a: string, b: string) => {
  const [x, y] = [Buffer.from(a), Buffer.from(b)];
  return x.length === y.length && timingSafeEqual(x, y);
};

/**
 * The token a form carries in its `_csrf` field, or null when its body cannot be read. A multipart
 * body is read as a bounded stream (TooManyParts past any form of ours).
 */
async function fieldToken(c: Context<AppEnv>): Promise<string | undefined | null> {
  const type = c.req.header("Content-Type") ?? "";
  if (!type.startsWith("application/x-www-form-urlencoded") && !type.startsWith("multipart/form-data"))
    return undefined;
  try {
    return (await formBody(c)).fields._csrf?.at(-1);
  } catch (error) {
    // Too many parts, too large: answered as such (413), not as a broken form.
    if (error instanceof TooManyParts || error instanceof BodyTooLarge) throw error;
    return null;
  }
}

/** Whether the browser holds anything a CSRF token could be bound to: a session, an ended one, the form cookie. */
function hasTokenCookie(c: Context<AppEnv>): boolean {
  const prefix = c.var.deps.config.secure ? ("host" as const) : undefined;
  return Boolean(c.var.sessionId || getAuthCookie(c) || getCookie(c, ANON_COOKIE, prefix));
}

/**
 * Why a state-changing request must be refused, or undefined when it may go on. Everything that
 * needs no body is decided first (Sec-Fetch-Site, Origin, a browser with no cookie a token could be
 * bound to, htmx's header token); only a plain form's own field needs its body read.
 */
export async function csrfProblem(c: Context<AppEnv>): Promise<string | undefined> {
  if (SAFE_METHODS.has(c.req.method)) return undefined;
  const site = c.req.header("Sec-Fetch-Site");
  if (site && site !== "same-origin" && site !== "none") return "cross-site request";
  const origin = c.req.header("Origin");
  const own = c.var.deps.config.publicUrl ? new URL(c.var.deps.config.publicUrl).origin : new URL(c.req.url).origin;
  if (origin && origin !== own) return "cross-origin request";
  const header = c.req.header("X-CSRF-Token");
  if (header && same(header, c.var.csrfToken)) return undefined;
  if (!hasTokenCookie(c)) return "missing or wrong CSRF token";
  const sent = await fieldToken(c);
  if (sent === null) return "unreadable form body";
  return same(sent ?? "", c.var.csrfToken) ? undefined : "missing or wrong CSRF token";
}

/**
 * Who sent a form from a session that has ended since its page was loaded (idle timeout, lifetime,
 * signed out elsewhere): the browser still holds that session's genuinely signed token, and the
 * form carries that session's CSRF token. Only then is it this person's own form, never a forgery.
 */
export async function senderOfEndedSession(c: Context<AppEnv>): Promise<number | undefined> {
  const { config, clock } = c.var.deps;
  const token = getAuthCookie(c);
  const claims = token ? await verifyAuthToken(token, config.authSecret, clock.now()) : null;
  const sent = claims && (c.req.header("X-CSRF-Token") || (await fieldToken(c)));
  if (!claims || !sent || !same(sent, tokenFor(config.authSecret, claims.sessionId))) return undefined;
  // Signed out on purpose, the session row is gone: nothing of that browser is kept.
  const session = await c.var.deps.db.session.findUnique({ where: { id: claims.sessionId }, select: { userId: true } });
  return session?.userId === claims.userId ? claims.userId : undefined;
}
