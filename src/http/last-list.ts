import type { Context } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import type { AppEnv } from "../env.js";
import { homeOf } from "../users/authorization.js";
import { safeNext } from "./auth/next.js";

const NAME = "hyperdesk_list";

/**
 * Remembers the list view a person is looking at (the queue with its filters, or their own
 * tickets), so a ticket opened from it knows where "back" is, across the changes made on the
 * ticket page, and which list the navigation should mark as current.
 */
export function rememberList(c: Context<AppEnv>): void {
  const url = new URL(c.req.url);
  const params = new URLSearchParams(url.search);
  params.delete("cursor");
  const view = `${url.pathname}${params.size ? `?${params}` : ""}`.slice(0, 500);
  if (getCookie(c, NAME) === encodeURIComponent(view)) return;
  setCookie(c, NAME, encodeURIComponent(view), {
    path: "/",
    httpOnly: true,
    sameSite: "Lax",
    secure: c.var.deps.config.secure,
  });
}

/** The list view last looked at (always one of ours), or the person's start page. */
export function lastList(c: Context<AppEnv>): string {
  const raw = getCookie(c, NAME);
  let view: string | undefined;
  try {
    view = raw ? safeNext(decodeURIComponent(raw)) : undefined;
  } catch {
    view = undefined;
  }
  const known = view && /^\/(queue|tickets)(\?|$)/.test(view);
  return known ? view! : homeOf(c.var.user ?? { role: "requester" });
}
