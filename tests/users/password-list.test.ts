import { createRequire } from "node:module";
import { dirname } from "node:path";
import { describe, expect, it } from "vitest";
import { commonPasswords, passwordProblem } from "../../src/users/password-rules.js";

// The list of common passwords is read when a password is first chosen, and the package it comes
// from is let go once read: a desk that only signs people in never holds the 4 MB it decodes to.
const require = createRequire(import.meta.url);
const dir = dirname(require.resolve("@zxcvbn-ts/language-common"));
const loaded = () => Object.keys(require.cache).filter((file) => file.startsWith(dir));

describe("the common-password list", () => {
  it("is not read until a password is checked, and its package is not kept after", () => {
    expect(loaded()).toEqual([]);
    expect(passwordProblem("Password1")).toBe("password.common");
    expect(passwordProblem("qwertyuiop")).toBe("password.common");
    expect(passwordProblem("correct horse battery")).toBeUndefined();
    expect(commonPasswords().size).toBeGreaterThan(40_000);
    expect(loaded()).toEqual([]);
  });
});
