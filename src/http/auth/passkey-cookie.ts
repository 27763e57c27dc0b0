import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import type { AppEnv } from "../../env.js";
import type { Purpose } from "../../users/passkeys.js";

// The WebAuthn challenge a browser was given, named by a short cookie of that browser (one per
// purpose, so a sign-in and a set-up in two tabs do not take each other's).
const name = (purpose: Purpose) => `hyperdesk_passkey_${purpose}`;

export function setChallengeCookie(c: Context<AppEnv>, purpose: Purpose, token: string) {
  setCookie(c, name(purpose), token, {
    path: "/",
    httpOnly: true,
    secure: c.var.deps.config.secure,
    sameSite: "Strict",
    maxAge: 5 * 60,
  });
}

export function takeChallengeCookie(c: Context<AppEnv>, purpose: Purpose): string | undefined {
  const value = getCookie(c, name(purpose))?.slice(0, 100);
  deleteCookie(c, name(purpose), { path: "/", secure: c.var.deps.config.secure });
  return value;
}

/** A JSON body of at most the body limit, or null when it is not JSON. */
export async function jsonBody(c: Context<AppEnv>): Promise<Record<string, unknown> | null> {
  if (!(c.req.header("Content-Type") ?? "").startsWith("application/json")) return null;
  try {
    const body = await c.req.json();
    return body && typeof body === "object" && !Array.isArray(body) ? (body as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
