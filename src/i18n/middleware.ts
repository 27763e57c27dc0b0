import type { MiddlewareHandler } from "hono";
import type { AppEnv, Ctx, CurrentUser } from "../env.js";
import { chooseLanguage } from "./choose.js";
import { i18nFor } from "./translate.js";

/** The language of this request for this person (or nobody yet): see chooseLanguage. */
export const languageOf = (c: Ctx, user: Pick<CurrentUser, "language"> | null) =>
  chooseLanguage(c, user?.language, c.var.deps.config);

/**
 * Every answer has a language from the start, error pages included; loadSession refines it once
 * it knows the person.
 */
export const detectLanguage: MiddlewareHandler<AppEnv> = (c, next) => {
  c.set("i18n", i18nFor(languageOf(c, null)));
  return next();
};
