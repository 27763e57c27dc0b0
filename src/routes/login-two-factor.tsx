import { Hono } from "hono";
import { z } from "zod";
import { SecondStepPage } from "../../views/auth/two-factor.js";
import type { AppEnv, Ctx } from "../env.js";
import {
  getSecondStepCookie,
  removeSecondStepCookie,
  setAuthCookie,
  setSecondStepCookie,
} from "../http/auth/cookie.js";
import { requestMeta } from "../http/auth/middleware.js";
import { safeNext } from "../http/auth/next.js";
import { linkWaitingAccount } from "../http/auth/sso-link.js";
import { tooManyAttempts } from "../http/errors.js";
import { setFlash } from "../http/flash.js";
import { readForm } from "../http/forms.js";
import { refuseForm, wholePage } from "../http/htmx.js";
import { homeOf } from "../users/authorization.js";
import { logoutUser } from "../users/sessions.js";
import { finishSignIn, PENDING_MINUTES, pendingSignIn } from "../users/two-factor.js";

// GET and POST /login/two-factor: the second step of signing in, for this browser's half-signed
// state (its cookie); without one, or once it ran out, back to the first step.
export const loginTwoFactor = new Hono<AppEnv>();

/** After a right password or sign-in link of a person with two-factor on: to the second step. */
export function toSecondStep(c: Ctx, token: string) {
  setSecondStepCookie(c, token, PENDING_MINUTES);
  return wholePage(c, "/login/two-factor");
}

const startAgain = (c: Ctx) => {
  removeSecondStepCookie(c);
  setFlash(c, c.var.i18n.t("twoFactor.expired"));
  return wholePage(c, "/login");
};

loginTwoFactor.get("/", async (c) => {
  const pending = await pendingSignIn(c.var.deps, getSecondStepCookie(c));
  if (!pending) return startAgain(c);
  const passkeys = (await c.var.deps.db.passkey.count({ where: { userId: pending.userId } })) > 0;
  return c.render(<SecondStepPage name={pending.user.name} passkeys={passkeys} />, {
    title: c.var.i18n.t("twoFactor.stepTitle"),
  });
});

loginTwoFactor.post("/", async (c) => {
  const { deps } = c.var;
  const { t } = c.var.i18n;
  const token = getSecondStepCookie(c);
  const form = await readForm(c, z.object({ code: z.string().trim().max(40).default("") }));
  const code = form.ok ? form.data.code : "";
  const pending = await pendingSignIn(deps, token);
  if (!pending) return startAgain(c);
  const refuse = (message: string) =>
    refuseForm(
      c,
      422,
      <SecondStepPage name={pending.user.name} errors={{ code: message }} />,
      t("twoFactor.stepTitle"),
    );
  if (!code) return refuse(t("twoFactor.codeMissing"));
  const result = await finishSignIn(deps, token, code, requestMeta(c));
  if (!result.ok) {
    if (result.reason === "throttled") return tooManyAttempts(c, result.retryAt);
    if (result.reason === "gone" || result.left === 0) return startAgain(c);
    return refuse(t("twoFactor.codeWrong", { count: result.left }));
  }
  removeSecondStepCookie(c);
  // Someone else signed in on this browser (a kiosk) is signed out first, on the server too.
  if (c.var.sessionId) await logoutUser(deps, c.var.sessionId);
  setAuthCookie(c, result.token, result.expiresAt);
  await linkWaitingAccount(c, result.user);
  if (result.used === "recovery") {
    setFlash(c, t("twoFactor.usedRecovery", { count: result.recoveryLeft }));
    return wholePage(c, "/account/two-factor");
  }
  return wholePage(c, result.next ? safeNext(result.next) : homeOf(result.user));
});
