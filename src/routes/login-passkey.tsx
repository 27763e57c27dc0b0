import type { AuthenticationResponseJSON } from "@simplewebauthn/server";
import { Hono } from "hono";
import type { AppEnv, Ctx } from "../env.js";
import { getSecondStepCookie, removeSecondStepCookie, setAuthCookie } from "../http/auth/cookie.js";
import { requestMeta } from "../http/auth/middleware.js";
import { safeNext } from "../http/auth/next.js";
import { jsonBody, setChallengeCookie, takeChallengeCookie } from "../http/auth/passkey-cookie.js";
import { linkWaitingAccount } from "../http/auth/sso-link.js";
import { homeOf } from "../users/authorization.js";
import { authenticationOptions, usePasskey } from "../users/passkeys.js";
import { logoutUser, startSession, toCurrentUser, withPasskeys } from "../users/sessions.js";
import { completePending, pendingSignIn } from "../users/two-factor.js";

// Signing in with a passkey (the browser's WebAuthn: JavaScript, JSON in and out): on its own
// from the sign-in page (POST /login/passkey), or as the second step after a password (POST
// /login/two-factor/passkey). Each answers where to go next; the page's script goes there.
export const loginPasskey = new Hono<AppEnv>();
export const secondStepPasskey = new Hono<AppEnv>();

const refused = (c: Ctx) => c.json({ error: c.var.i18n.t("passkeys.signInFailed") }, 401);

loginPasskey.post("/options", async (c) => {
  const { options, token } = await authenticationOptions(c.var.deps, "signin", null);
  setChallengeCookie(c, "signin", token);
  return c.json(options);
});

loginPasskey.post("/", async (c) => {
  const { deps } = c.var;
  const body = await jsonBody(c);
  const token = takeChallengeCookie(c, "signin");
  if (!body || typeof body.response !== "object") return refused(c);
  const userId = await usePasskey(deps, token, "signin", body.response as AuthenticationResponseJSON);
  if (!userId) return refused(c);
  const user = toCurrentUser(await deps.db.user.findUniqueOrThrow({ where: { id: userId }, include: withPasskeys }));
  // Someone else signed in on this browser (a kiosk) is signed out first, on the server too.
  if (c.var.sessionId) await logoutUser(deps, c.var.sessionId);
  const session = await startSession(deps, user, requestMeta(c));
  setAuthCookie(c, session.token, session.expiresAt);
  await linkWaitingAccount(c, user);
  const next = typeof body.next === "string" && body.next ? safeNext(body.next) : homeOf(user);
  return c.json({ location: next });
});

secondStepPasskey.post("/options", async (c) => {
  const pending = await pendingSignIn(c.var.deps, getSecondStepCookie(c));
  if (!pending) return c.json({ error: c.var.i18n.t("twoFactor.expired"), location: "/login" }, 410);
  const { options, token } = await authenticationOptions(c.var.deps, "second", pending.userId);
  setChallengeCookie(c, "second", token);
  return c.json(options);
});

secondStepPasskey.post("/", async (c) => {
  const { deps } = c.var;
  const half = getSecondStepCookie(c);
  const pending = await pendingSignIn(deps, half);
  if (!pending) return c.json({ error: c.var.i18n.t("twoFactor.expired"), location: "/login" }, 410);
  const body = await jsonBody(c);
  const token = takeChallengeCookie(c, "second");
  if (!body || typeof body.response !== "object") return refused(c);
  const userId = await usePasskey(deps, token, "second", body.response as AuthenticationResponseJSON, pending.userId);
  if (!userId) return refused(c);
  const session = await completePending(deps, half, requestMeta(c));
  if (!session) return c.json({ error: c.var.i18n.t("twoFactor.expired"), location: "/login" }, 410);
  removeSecondStepCookie(c);
  if (c.var.sessionId) await logoutUser(deps, c.var.sessionId);
  setAuthCookie(c, session.token, session.expiresAt);
  await linkWaitingAccount(c, session.user);
  return c.json({ location: session.next ? safeNext(session.next) : homeOf(session.user) });
});
