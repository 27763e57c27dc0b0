import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import type { AppEnv } from "../env.js";

const NAME = "hyperdesk_flash";

/** A message for the next page (after a 303), kept in a short-lived cookie: a line, or a bulk change's few (ticket numbers included). */
export function setFlash(c: Context<AppEnv>, message: string): void {
  setCookie(c, NAME, encodeURIComponent(message), {
    path: "/",
    httpOnly: true,
    sameSite: "Lax",
    maxAge: 60,
    secure: c.var.deps.config.secure,
  });
}

export function readFlash(c: Context<AppEnv>): string | null {
  const raw = getCookie(c, NAME);
  if (raw === undefined) return null;
  deleteCookie(c, NAME, { path: "/", secure: c.var.deps.config.secure });
  try {
    return decodeURIComponent(raw).slice(0, 1000);
  } catch {
    return null;
  }
}
