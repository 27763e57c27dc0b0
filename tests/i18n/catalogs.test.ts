import { IntlMessageFormat } from "intl-messageformat";
import { describe, expect, it } from "vitest";
import { LANGUAGE_CODES } from "../../src/i18n/languages.js";
import { CATALOGS, i18nFor, type MessageKey } from "../../src/i18n/translate.js";

type Node = { type: number; value?: string; options?: Record<string, { value: Node[] }>; children?: Node[] };

/** The names a message takes ({count}, {name}) and the tags it wraps (<link>), from its ICU syntax tree. */
function placeholders(message: string, lang: string): string[] {
  const found = new Set<string>();
  const walk = (nodes: Node[]) => {
    for (const n of nodes) {
      // 1 argument, 2 number, 3 date, 4 time, 5 select, 6 plural, 8 tag (see @formatjs/icu-messageformat-parser)
      if ([1, 2, 3, 4, 5, 6].includes(n.type)) found.add(`{${n.value}}`);
      if (n.type === 8) found.add(`<${n.value}>`);
      for (const option of Object.values(n.options ?? {})) walk(option.value);
      if (n.children) walk(n.children);
    }
  };
  walk(new IntlMessageFormat(message, lang).getAst() as Node[]);
  return [...found].sort();
}

const english = CATALOGS.en;
const keys = Object.keys(english) as MessageKey[];

describe("the catalogs", () => {
  it.each(LANGUAGE_CODES.filter((l) => l !== "en"))("%s has every message English has, and nothing else", (lang) => {
    const catalog = CATALOGS[lang] as Record<string, string>;
    expect(keys.filter((k) => typeof catalog[k] !== "string" || catalog[k].trim() === "")).toEqual([]);
    expect(Object.keys(catalog).filter((k) => !(k in english))).toEqual([]);
  });

  it.each(LANGUAGE_CODES)("%s: every message is valid ICU and takes exactly what the English one takes", (lang) => {
    const wrong = keys.filter(
      (k) => placeholders(CATALOGS[lang][k], lang).join() !== placeholders(english[k], "en").join(),
    );
    expect(wrong).toEqual([]);
  });

  it("plurals follow each language's rules (Arabic has six forms)", () => {
    const english = i18nFor("en");
    const arabic = i18nFor("ar");
    expect(english.relative(new Date(0), new Date(2 * 3_600_000))).toBe("2 hours ago");
    expect(arabic.relative(new Date(0), new Date(2 * 3_600_000))).toBe("قبل ساعتين");
    expect(i18nFor("de").relative(new Date(0), new Date(30_000))).toBe("gerade eben");
  });
});
