import { useRequestContext } from "hono/jsx-renderer";
import type { AppEnv } from "../../src/env.js";
import { LANGUAGE_CODES, LANGUAGES } from "../../src/i18n/languages.js";
import { useI18n } from "../../src/i18n/view.js";
import { Csrf } from "./csrf.js";

/**
 * The language menu on every page: a plain form (works without JavaScript), each language named
 * in itself. It loads a whole new page, because the page's language and direction change with it.
 */
export function LanguageMenu() {
  const c = useRequestContext<AppEnv>();
  const { t, lang } = useI18n();
  // A GET comes back to itself; after a POST (a form that came back with errors), to its page.
  const query = c.req.url.indexOf("?");
  const back = c.req.path + (c.req.method === "GET" && query >= 0 ? c.req.url.slice(query) : "");
  return (
    <form method="post" action="/language" class="language-menu" data-hx-boost="false">
      <Csrf />
      <input type="hidden" name="back" value={back} />
      <label for="language-menu">{t("language.menu")}</label>
      <select id="language-menu" name="lang">
        {LANGUAGE_CODES.map((code) => (
          <option value={code} lang={code} selected={code === lang}>
            {LANGUAGES[code].name}
          </option>
        ))}
      </select>
      <button type="submit" class="secondary">
        {t("language.change")}
      </button>
    </form>
  );
}
