import { useRequestContext } from "hono/jsx-renderer";
import type { AppEnv } from "../env.js";
import { type I18n, i18nFor } from "./translate.js";

/** The language of the page being rendered (set by detectLanguage, refined by loadSession). */
export function useI18n(): I18n {
  const c = useRequestContext<AppEnv>();
  return c.get("i18n") ?? i18nFor(c.get("deps").config.defaultLanguage);
}

/** A view's way to say things: `const t = useT(); t("nav.signIn")`. */
export const useT = () => useI18n().t;
