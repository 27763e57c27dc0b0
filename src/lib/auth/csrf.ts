import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import type { Context } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import type { AppEnv } from "../../env.js";

const ANON_COOKIE = "hyperdesk_csrf";
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

const tokenFor = (secret: Uint8Array, id: string) => createHmac("sha256", secret).update(`csrf:${id}`).digest("base64url");

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

/** Why a state-changing request must be refused, or undefined when it may go on. */
export async function csrfProblem(c: Context<AppEnv>): Promise<string | undefined> {
  if (SAFE_METHODS.has(c.req.method)) return undefined;
  const site = c.req.header("Sec-Fetch-Site");
  if (site && site !== "same-origin" && site !== "none") return "cross-site request";
  const origin = c.req.header("Origin");
  const own = c.var.deps.config.publicUrl ? new URL(c.var.deps.config.publicUrl).origin : new URL(c.req.url).origin;
  if (origin && origin !== own) return "cross-origin request";
  // The form field first: it is rendered with the page; the header is a fallback for htmx requests.
  let sent: string | undefined;
  const type = c.req.header("Content-Type") ?? "";
  if (type.startsWith("application/x-www-form-urlencoded") || type.startsWith("multipart/form-data")) {
    const body = await c.req.parseBody().catch(() => undefined);
    if (!body) return "unreadable form body";
    if (typeof body._csrf === "string") sent = body._csrf;
  }
  sent ??= c.req.header("X-CSRF-Token");
  const expected = Buffer.from(c.var.csrfToken);
  const given = Buffer.from(sent ?? "");
  return given.length === expected.length && timingSafeEqual(given, expected) ? undefined : "missing or wrong CSRF token";
}
