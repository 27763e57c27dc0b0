import { Hono } from "hono";
import { deleteCookie, setCookie } from "hono/cookie";
import type { AppEnv } from "../env.js";
import { safeNext } from "../http/auth/next.js";
import { renderError } from "../http/errors.js";
import { setFlash } from "../http/flash.js";
import { formValues } from "../http/forms.js";
import { LANGUAGE_COOKIE, unchosenLanguage } from "../i18n/choose.js";
import { isLanguage } from "../i18n/languages.js";
import { i18nFor } from "../i18n/translate.js";
import { setLanguage } from "../users/people.js";

// POST /language: the language menu and the account's language setting. The browser keeps the
// choice in a cookie (people without an account, a guest at a kiosk); a signed-in person's
// account keeps it too, so it follows them to any device. "auto" (the account page only) goes
// back to what the browser asks for.
export const language = new Hono<AppEnv>();

language.post("/", async (c) => {
  const { deps, user, guest } = c.var;
  const form = await formValues(c);
  const chosen = form.lang === "auto" ? null : form.lang;
  if (chosen !== null && !isLanguage(chosen)) {
    return renderError(c, 422, c.var.i18n.t("language.unknownTitle"), c.var.i18n.t("language.unknown"));
  }
  const options = { path: "/", secure: deps.config.secure, httpOnly: true, sameSite: "Lax" } as const;
  if (chosen) setCookie(c, LANGUAGE_COOKIE, chosen, { ...options, maxAge: 365 * 24 * 60 * 60 });
  else deleteCookie(c, LANGUAGE_COOKIE, options);
  if (user && !guest) await setLanguage(deps, user.id, chosen);
  const back = safeNext(form.back);
  // The account page says it was saved, in the language it is now in; anywhere else the page itself shows it.
  if (back === "/account") setFlash(c, i18nFor(chosen ?? unchosenLanguage(c, deps.config)).t("language.saved"));
  return c.redirect(back, 303);
});
