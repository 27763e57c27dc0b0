import { Hono } from "hono";
import { LeavingPage } from "../../views/auth/sso.js";
import type { AppEnv } from "../env.js";
import { removeAuthCookie } from "../http/auth/cookie.js";
import { isHtmx, wholePage } from "../http/htmx.js";
import { logoutUser } from "../users/sessions.js";
import { endSessionUrl } from "../users/sso.js";

// POST /logout: ends the session on the server and wipes what this browser kept of it.
export const logout = new Hono<AppEnv>();

logout.post("/", async (c) => {
  const { deps } = c.var;
  // A session made by single sign-on ends at the provider too, where it offers that: the
  // provider's sign-out page, which sends the browser back to ours.
  const session = c.var.sessionId
    ? await deps.db.session.findUnique({ where: { id: c.var.sessionId }, select: { ssoProvider: true, idToken: true } })
    : null;
  const atProvider = session?.ssoProvider ? await endSessionUrl(deps, session.ssoProvider, session.idToken) : null;
  if (c.var.sessionId) await logoutUser(deps, c.var.sessionId);
  removeAuthCookie(c);
  // On a kiosk, Back must show nothing private.
  c.header("Clear-Site-Data", '"cache", "cookies", "storage"');
  // Said on the sign-in page (a flash cookie would go with Clear-Site-Data).
  if (!atProvider || isHtmx(c)) return wholePage(c, atProvider ?? "/login?signed-out");
  // A form's answer may not redirect to another site (CSP form-action 'self'): a page that goes on
  // there at once, with a link for a browser that does not.
  const { t } = c.var.i18n;
  return c.render(<LeavingPage url={atProvider} />, { title: t("sso.signingOutTitle"), refresh: atProvider });
});
