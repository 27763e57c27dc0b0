import { Hono } from "hono";
import { z } from "zod";
import { ConfirmSignInPage } from "../../views/auth/links.js";
import type { AppEnv } from "../env.js";
import { askForLink, linkGone } from "../http/auth/ask-link.js";
import { setAuthCookie } from "../http/auth/cookie.js";
import { requestMeta } from "../http/auth/middleware.js";
import { linkWaitingAccount } from "../http/auth/sso-link.js";
import { readForm } from "../http/forms.js";
import { wholePage } from "../http/htmx.js";
import { homeOf } from "../users/authorization.js";
import { peekLink, useLink } from "../users/links.js";
import { logoutUser, startSession } from "../users/sessions.js";
import { startPendingSignIn } from "../users/two-factor.js";
import { toSecondStep } from "./login-two-factor.js";

// /login/link: ask for a sign-in link by email; /login/link/open: the link's page, whose one
// button signs in (a GET that signed in would be used up by mail scanners fetching the link).
export const loginLink = new Hono<AppEnv>();
const ask = askForLink("signin");
loginLink.get("/", ask.show);
loginLink.post("/", ask.send);

loginLink.get("/open", async (c) => {
  const token = c.req.query("token") ?? "";
  const user = await peekLink(c.var.deps, "signin", token);
  if (!user) return linkGone(c, "signin");
  return c.render(<ConfirmSignInPage token={token} name={user.name} />, { title: c.var.i18n.t("login.title") });
});

loginLink.post("/open", async (c) => {
  const form = await readForm(c, z.object({ token: z.string().max(100) }));
  const user = form.ok ? await useLink(c.var.deps, "signin", form.data.token) : null;
  if (!user) return linkGone(c, "signin");
  // A link stands for the password, never for the second factor.
  if (user.twoFactor) return toSecondStep(c, await startPendingSignIn(c.var.deps, user.id, undefined));
  // Someone else signed in on this browser (a kiosk) is signed out first, on the server too.
  if (c.var.sessionId) await logoutUser(c.var.deps, c.var.sessionId);
  const session = await startSession(c.var.deps, user, requestMeta(c));
  setAuthCookie(c, session.token, session.expiresAt);
  await linkWaitingAccount(c, user);
  return wholePage(c, homeOf(user));
});
