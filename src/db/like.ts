import { LRUCache } from "lru-cache";

// SQL LIKE with a backslash escape, for SQLite. Prisma's `contains` sends `column LIKE ?` with no
// ESCAPE clause; PostgreSQL's LIKE escapes with a backslash by default, SQLite's has no escape at
// all, so `%` and `_` typed into a search would be wildcards there (`q=_` matched every ticket).
// Registered as SQLite's like() (see adapters.ts), it makes `contains` mean the same on both.

type Matcher = (value: string) => boolean;
const patterns = new LRUCache<string, Matcher>({ max: 500 });

/**
 * A LIKE pattern as a test: `%` any run, `_` any one character, `\x` a literal x. The usual
 * search pattern, `%text%` with no wildcard inside, is a plain case-folded substring test (about
 * as fast as SQLite's own LIKE); anything else a regular expression.
 */
function compile(pattern: string): Matcher {
  const inner =
    pattern.length >= 2 && pattern.startsWith("%") && pattern.endsWith("%") ? pattern.slice(1, -1) : undefined;
  if (inner !== undefined && !/(^|[^\\])(\\\\)*[%_]/.test(inner) && !inner.endsWith("\\")) {
    const needle = inner.replace(/\\(.)/g, "$1").toLowerCase();
    return (value) => value.toLowerCase().includes(needle);
  }
  const re = toRegExp(pattern);
  return (value) => re.test(value);
}

function toRegExp(pattern: string): RegExp {
  let source = "";
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (ch === "\\" && i + 1 < pattern.length) source += escapeRegExp(pattern[++i]!);
    else if (ch === "%") source += "[\\s\\S]*";
    else if (ch === "_") source += "[\\s\\S]";
    else source += escapeRegExp(ch);
  }
  // Case-insensitive like SQLite's own LIKE, for every script rather than ASCII only.
  return new RegExp(`^${source}$`, "iu");
}

export const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");

/** SQLite calls like(pattern, value) for `value LIKE pattern`. */
export function like(pattern: unknown, value: unknown): number | null {
  if (pattern === null || value === null || pattern === undefined || value === undefined) return null;
  const key = String(pattern);
  let matches = patterns.get(key);
  if (!matches) {
    matches = compile(key);
    patterns.set(key, matches);
  }
  return matches(String(value)) ? 1 : 0;
}

/** A search text as a LIKE literal: its `\`, `%` and `_` match only themselves. */
export const likeLiteral = (text: string) => text.replace(/[\\%_]/g, "\\$&");
