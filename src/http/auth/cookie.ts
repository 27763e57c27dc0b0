import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import type { AppEnv } from "../../env.js";

const NAME = "hyperdesk_session";

// Over https the cookie is __Host- prefixed: Secure, Path=/, no Domain, so no sibling host can set it.
const prefix = (c: Context<AppEnv>) => (c.var.deps.config.secure ? ("host" as const) : undefined);

export function setAuthCookie(c: Context<AppEnv>, token: string, expiresAt: Date): void {
  const { config } = c.var.deps;
  setCookie(c, NAME, token, {
    path: "/",
    httpOnly: true,
    secure: config.secure,
    sameSite: "Lax",
    prefix: prefix(c),
    // On a shared kiosk the cookie dies with the browser; the server ends the session anyway.
    ...(config.kiosk ? {} : { expires: expiresAt }),
  });
}

export function getAuthCookie(c: Context<AppEnv>): string | undefined {
  const value = getCookie(c, NAME, prefix(c));
  return value && value.length < 4096 ? value : undefined;
}

export function removeAuthCookie(c: Context<AppEnv>): void {
  deleteCookie(c, NAME, { path: "/", secure: c.var.deps.config.secure, prefix: prefix(c) });
}

// The half-signed state of two-factor sign-in: a token for the second step's form only (path
// /login), gone with the browser and after PENDING_MINUTES anyway (the server decides).
const SECOND_STEP = "hyperdesk_2fa";

export function setSecondStepCookie(c: Context<AppEnv>, token: string, minutes: number): void {
  setCookie(c, SECOND_STEP, token, {
    path: "/login",
    httpOnly: true,
    secure: c.var.deps.config.secure,
    sameSite: "Lax",
    maxAge: minutes * 60,
  });
}

export const getSecondStepCookie = (c: Context<AppEnv>): string | undefined => getCookie(c, SECOND_STEP)?.slice(0, 100);

export function removeSecondStepCookie(c: Context<AppEnv>): void {
  deleteCookie(c, SECOND_STEP, { path: "/login", secure: c.var.deps.config.secure });
}
