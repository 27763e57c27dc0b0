import { createRequire } from "node:module";
import { dirname } from "node:path";
import { z } from "zod";
import { type MessageKey, msg } from "../i18n/translate.js";
import { compareInWorker, hashInWorker } from "./bcrypt-pool.js";

export const PASSWORD_MIN_CHARS = 8;
/** bcrypt reads at most 72 bytes; longer passwords are refused, never silently cut. */
export const PASSWORD_MAX_BYTES = 72;

const require = createRequire(import.meta.url);
const LIST = "@zxcvbn-ts/language-common";
let common: Set<string> | undefined;

/**
 * The 49,000 most common passwords, lowercased, read when a password is first chosen (a desk that
 * only signs people in never holds them). The package's module is let go once read: its decoded
 * lists (4 MB of heap, with its other dictionaries) would stay for the life of the process.
 */
export function commonPasswords(): Set<string> {
  if (common) return common;
  const { dictionary } = require(LIST) as { dictionary: Record<string, string[]> };
  common = new Set(dictionary["passwords-common"]!.map((p) => p.toLowerCase()));
  const dir = dirname(require.resolve(LIST));
  for (const file of Object.keys(require.cache)) if (file.startsWith(dir)) delete require.cache[file];
  return common;
}

/** The limits the password messages name ({min} characters, {max} bytes). */
export const PASSWORD_LIMITS = { min: PASSWORD_MIN_CHARS, max: PASSWORD_MAX_BYTES };

/** Why a new password is not acceptable (a catalog key), or undefined. No composition rules (NIST SP 800-63B). */
export function passwordProblem(password: string, context: { email?: string } = {}): MessageKey | undefined {
  if (password.includes("\u0000")) return msg("password.nul");
  if ([...password].length < PASSWORD_MIN_CHARS) return msg("password.short");
  if (Buffer.byteLength(password, "utf8") > PASSWORD_MAX_BYTES) return msg("password.long");
  const lower = password.toLowerCase();
  if (commonPasswords().has(lower)) return msg("password.common");
  const local = context.email?.split("@")[0]?.toLowerCase();
  if ((local && local.length >= 4 && lower === local) || lower === context.email?.toLowerCase()) {
    return msg("password.email");
  }
  return undefined;
}

/**
 * A form schema whose `field` must pass the password rules (next to the form's email, if it has
 * one). Checked even when other fields fail, so a person sees every message at once.
 */
export function withPasswordRules<T extends z.ZodObject>(schema: T, field: string): T {
  return schema.check(
    z.superRefine(
      (values: Record<string, unknown>, ctx) => {
        const password = values[field];
        const email = typeof values.email === "string" ? values.email : undefined;
        const problem = typeof password === "string" ? passwordProblem(password, { email }) : undefined;
        if (problem) ctx.addIssue({ code: "custom", path: [field], message: problem, params: PASSWORD_LIMITS });
      },
      { when: () => true },
    ),
  );
}

export const hashPassword = (password: string, cost: number) => hashInWorker(password, cost);
export const checkPassword = (password: string, hash: string) => compareInWorker(password, hash);

const dummies = new Map<number, Promise<string>>();
/** A hash to compare against when the account does not exist, so the answer takes as long. */
export function dummyHash(cost: number): Promise<string> {
  const hash = dummies.get(cost) ?? hashPassword("not a real password", cost);
  dummies.set(cost, hash);
  return hash;
}
