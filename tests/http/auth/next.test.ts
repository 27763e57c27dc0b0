import { describe, expect, it } from "vitest";
import { safeNext } from "../../../src/http/auth/next.js";

// Pieces a browser treats specially in a Location, combined every way up to four pieces long:
// the generated corpus finds the forms nobody thought to list.
const PIECES = [
  "/",
  "\\",
  ".",
  "..",
  "%2e",
  "%2f",
  "%5c",
  "\t",
  "\n",
  " ",
  "evil.example",
  "@",
  ":",
  "http:",
  "?",
  "#",
  "%09",
];

function* corpus(depth: number, prefix = "/"): Generator<string> {
  yield prefix;
  if (depth === 0) return;
  for (const piece of PIECES) yield* corpus(depth - 1, prefix + piece);
}

/** Where a browser on any page of our site goes when it follows this Location. */
const followed = (location: string, page: string) => new URL(location, page);

describe("safeNext", () => {
  it("keeps every generated path on this site, as a browser reads it from any page", () => {
    let checked = 0;
    for (const next of corpus(4)) {
      const out = safeNext(next);
      for (const page of ["https://desk.example/", "https://desk.example/login", "https://desk.example/a/b/c"]) {
        const url = followed(out, page);
        if (url.origin !== "https://desk.example") throw new Error(`${JSON.stringify(next)} -> ${out} -> ${url.href}`);
      }
      expect(out).toMatch(/^\/(?![/\\])[\x21-\x7e]*$/);
      checked++;
    }
    expect(checked).toBeGreaterThan(80_000);
  });

  it("refuses the forms an outside review used, and keeps ordinary paths", () => {
    for (const next of [
      "/.//evil.example",
      "/..//x",
      "/%2e//x",
      "/./\\x",
      "//evil.example",
      "/\\evil",
      "https://evil.example/",
    ]) {
      const out = safeNext(next);
      expect(followed(out, "https://desk.example/login").origin, next).toBe("https://desk.example");
      expect(out.startsWith("//")).toBe(false);
    }
    expect(safeNext("/tickets/42?x=1#reply")).toBe("/tickets/42?x=1#reply");
    expect(safeNext("/queue?status=Open&sort=priority")).toBe("/queue?status=Open&sort=priority");
    expect(safeNext("/tickets/ü")).toBe("/tickets/%C3%BC");
    expect(safeNext(undefined)).toBe("/tickets");
  });
});
