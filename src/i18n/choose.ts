import type { Context } from "hono";
import type { DetectorOptions } from "hono/language";
import { detectFromCookie, detectFromHeader } from "hono/language";
import { LRUCache } from "lru-cache";
import { isLanguage, LANGUAGE_CODES, type Language } from "./languages.js";

/** The cookie the language menu sets: a browser's choice, for people without an account too. */
export const LANGUAGE_COOKIE = "lang";

// hono/language's detectors, for the cookie and Accept-Language ("es-MX" finds "es"); the order
// is ours, because a signed-in person's own setting comes before either.
const detector: DetectorOptions = {
  order: [],
  lookupQueryString: "",
  lookupCookie: LANGUAGE_COOKIE,
  lookupFromPathIndex: 0,
  lookupFromHeaderKey: "accept-language",
  caches: false,
  ignoreCase: true,
  fallbackLanguage: "en",
  supportedLanguages: LANGUAGE_CODES,
};

type Settings = { defaultLanguage: Language; kioskLanguage?: Language };

/**
 * The language of a page: the person's own setting (/account), else what this browser chose in
 * the language menu, else the kiosk's pinned language (KIOSK_LANGUAGE: a shared machine's
 * Accept-Language says nothing of the person in front of it), else the browser's Accept-Language,
 * else the desk's default (DEFAULT_LANGUAGE).
 */
export function chooseLanguage(c: Context, personal: string | null | undefined, settings: Settings): Language {
  if (isLanguage(personal)) return personal;
  const chosen = detectFromCookie(c, detector);
  if (isLanguage(chosen)) return chosen;
  return unchosenLanguage(c, settings);
}

/** The language when nobody chose one: the kiosk's, else the browser's Accept-Language, else the desk's. */
export function unchosenLanguage(c: Context, settings: Settings): Language {
  if (settings.kioskLanguage) return settings.kioskLanguage;
  const header = c.req.header("accept-language") ?? "";
  // Browsers send a handful of distinct headers: each is parsed once (bounded, so no one can grow it).
  let accepted = accepting.get(header);
  if (accepted === undefined) {
    accepted = detectFromHeader(c, detector) ?? "";
    accepting.set(header, accepted);
  }
  return isLanguage(accepted) ? accepted : settings.defaultLanguage;
}
/** Accept-Language headers as parsed: the language, or "" for none we speak. */
const accepting = new LRUCache<string, string>({ max: 500 });
