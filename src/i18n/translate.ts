import type { Child } from "hono/jsx";
import { IntlMessageFormat, type PrimitiveType } from "intl-messageformat";
import { formatSize } from "../attachments/names.js";
import { ar } from "./catalogs/ar.js";
import { de } from "./catalogs/de.js";
import { en } from "./catalogs/en.js";
import { es } from "./catalogs/es.js";
import { fr } from "./catalogs/fr.js";
import { directionOf, type Language } from "./languages.js";

/** Every message a person can read, by key; English is the source every catalog translates. */
export type MessageKey = keyof typeof en;
export type Catalog = Record<MessageKey, string>;

export const CATALOGS: Record<Language, Catalog> = { en, es, de, fr, ar };

export const isMessageKey = (key: string): key is MessageKey => Object.hasOwn(en, key);
/**
 * A message named where it is not yet said: in a form's schema (zod's message is the key;
 * readForm says it in the person's language) or a rule's answer (a password's problem). Typed,
 * so a key that is not in the catalog does not compile.
 */
export const msg = <K extends MessageKey>(key: K): K => key;

export type Values = Record<string, PrimitiveType>;
/** A tag in a message (`<link>Register</link>`) becomes what its function makes of the text inside. */
export type RichValues = Record<string, PrimitiveType | ((chunks: Child[]) => Child)>;

/** One language's way of saying things: messages (ICU: plurals, numbers, dates), and numbers on their own. */
export type I18n = {
  lang: Language;
  dir: "ltr" | "rtl";
  /** The message in this language with its values put in ("{count, plural, one {# ticket} other {# tickets}}"). */
  t: (key: MessageKey, values?: Values) => string;
  /** A message with markup in it (links, emphasis), as children for JSX. */
  rich: (key: MessageKey, values: RichValues) => Child[];
  number: (n: number) => string;
  /** "images, PDF documents or ZIP archives" */
  or: (items: string[]) => string;
  /** "status Closed, priority High, assigned to you": parts of one thing, listed. */
  list: (items: string[]) => string;
  /** A file size: "812 bytes", "14 KB", "2,1 Mo". */
  size: (bytes: number) => string;
  /**
   * Two sizes that differ, said so they read differently: just past a limit, "10 MB" and "10 MB"
   * would say nothing, so both are then given in bytes.
   */
  sizes: (a: number, b: number) => [string, string];
  /** "2 hours ago", "in 5 minutes", "now"; undefined a week or more away either way. */
  relative: (date: Date, now: Date) => string | undefined;
};

const MINUTE = 60_000;
const UNITS: [number, Intl.RelativeTimeFormatUnit][] = [
  [24 * 60 * MINUTE, "day"],
  [60 * MINUTE, "hour"],
  [MINUTE, "minute"],
];

function build(lang: Language): I18n {
  const catalog = CATALOGS[lang];
  // Each message is parsed once per process, on first use: a page formats dozens of them.
  const compiled = new Map<MessageKey, IntlMessageFormat>();
  const format = (key: MessageKey) => {
    let m = compiled.get(key);
    if (!m) {
      m = new IntlMessageFormat(catalog[key] ?? en[key], lang);
      compiled.set(key, m);
    }
    return m;
  };
  const numbers = new Intl.NumberFormat(lang);
  // "1 day ago", not "yesterday": 30 hours ago is not always yesterday.
  const relative = new Intl.RelativeTimeFormat(lang, { numeric: "always" });
  const t: I18n["t"] = (key, values) => {
    const text = catalog[key] ?? en[key];
    // Plain text needs no formatter (most messages): no parse, no allocation.
    if (!values && !/[{}<'#]/.test(text)) return text;
    return String(format(key).format(values));
  };
  // English keeps the desk's house style ("a, b or c", "14 KB"); the others follow their locale.
  const listLocale = lang === "en" ? "en-GB" : lang;
  const alternatives = new Intl.ListFormat(listLocale, { type: "disjunction" });
  const parts = new Intl.ListFormat(listLocale, { type: "unit" });
  const bytes = new Intl.NumberFormat(lang, { style: "unit", unit: "byte", unitDisplay: "long" });
  const kilobytes = new Intl.NumberFormat(lang, { style: "unit", unit: "kilobyte", maximumFractionDigits: 0 });
  const megabytes = new Intl.NumberFormat(lang, { style: "unit", unit: "megabyte", maximumFractionDigits: 1 });
  const size = (n: number) => {
    if (lang === "en") return formatSize(n);
    if (n < 1024) return bytes.format(n);
    if (n < 1024 * 1024) return kilobytes.format(Math.round(n / 1024));
    const mb = n / (1024 * 1024);
    return megabytes.format(mb < 10 ? Math.round(mb * 10) / 10 : Math.round(mb));
  };
  return {
    lang,
    dir: directionOf(lang),
    t,
    or: (items) => alternatives.format(items),
    list: (items) => parts.format(items),
    size,
    sizes: (a, b) => {
      const [x, y] = [size(a), size(b)];
      return x !== y || a === b ? [x, y] : [bytes.format(a), bytes.format(b)];
    },
    rich: (key, values) => {
      const out = format(key).format<Child>(values as Record<string, PrimitiveType>);
      return Array.isArray(out) ? out : [out];
    },
    number: (n) => numbers.format(n),
    relative: (date, now) => {
      const ago = now.getTime() - date.getTime();
      const distance = Math.abs(ago);
      if (distance >= 7 * 24 * 60 * MINUTE) return undefined;
      if (distance < MINUTE) return catalog["time.justNow"];
      const [size, unit] = UNITS.find(([size]) => distance >= size)!;
      const n = Math.floor(distance / size);
      return relative.format(ago > 0 ? -n : n, unit);
    },
  };
}

const built = new Map<Language, I18n>();

/** The one I18n of a language in this process. */
export function i18nFor(lang: Language): I18n {
  let i = built.get(lang);
  if (!i) {
    i = build(lang);
    built.set(lang, i);
  }
  return i;
}
