import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import type { AppEnv, CurrentUser } from "../../env.js";
import { completeLink } from "../../users/sso.js";
import { setFlash } from "../flash.js";

// The cookies of single sign-on: the sign-in sent to a provider (path /login/sso) and a provider's
// account waiting to be linked to the person who signs in next in this browser (path /).
const STATE = "hyperdesk_oidc";
const LINK = "hyperdesk_sso_link";

export function setSsoStateCookie(c: Context<AppEnv>, token: string, minutes: number) {
  setCookie(c, STATE, token, {
    path: "/login/sso",
    httpOnly: true,
    secure: c.var.deps.config.secure,
    // Lax: the provider's redirect back is a top-level GET from its site, which Lax lets through.
    sameSite: "Lax",
    maxAge: minutes * 60,
  });
}

export function takeSsoStateCookie(c: Context<AppEnv>): string | undefined {
  const value = getCookie(c, STATE)?.slice(0, 100);
  deleteCookie(c, STATE, { path: "/login/sso", secure: c.var.deps.config.secure });
  return value;
}

export function setSsoLinkCookie(c: Context<AppEnv>, token: string, minutes: number) {
  setCookie(c, LINK, token, {
    path: "/",
    httpOnly: true,
    secure: c.var.deps.config.secure,
    sameSite: "Lax",
    maxAge: minutes * 60,
  });
}

/**
 * After a sign-in here (password, a link from our mail, the second step): a provider's account
 * waiting in this browser for this person is linked, and the person is told.
 */
export async function linkWaitingAccount(c: Context<AppEnv>, user: CurrentUser): Promise<void> {
  const token = getCookie(c, LINK);
  if (!token) return;
  deleteCookie(c, LINK, { path: "/", secure: c.var.deps.config.secure });
  const name = await completeLink(c.var.deps, token.slice(0, 100), user);
  if (name) setFlash(c, c.var.i18n.t("sso.linked", { name }));
}
