import { z } from "zod";
import { compareInWorker, hashInWorker } from "./bcrypt-pool.js";
import { dictionary } from "@zxcvbn-ts/language-common";

export const PASSWORD_MIN_CHARS = 8;
/** bcrypt reads at most 72 bytes; longer passwords are refused, never silently cut. */
export const PASSWORD_MAX_BYTES = 72;

const common = new Set((dictionary["passwords-common"] as string[]).map((p) => p.toLowerCase()));

/** Why a new password is not acceptable, or undefined. No composition rules (NIST SP 800-63B). */
export function passwordProblem(password: string, context: { email?: string } = {}): string | undefined {
  if (password.includes("\u0000")) return "This password holds an invisible NUL character; type it again without it.";
  if ([...password].length < PASSWORD_MIN_CHARS) return `Use at least ${PASSWORD_MIN_CHARS} characters.`;
  if (Buffer.byteLength(password, "utf8") > PASSWORD_MAX_BYTES) {
    return `Use at most ${PASSWORD_MAX_BYTES} bytes (72 letters without accents; accented letters and emoji take 2 to 4 bytes each).`;
  }
  const lower = password.toLowerCase();
  if (common.has(lower)) return "This password is one of the most common ones; choose another.";
  const local = context.email?.split("@")[0]?.toLowerCase();
  if ((local && local.length >= 4 && lower === local) || lower === context.email?.toLowerCase()) {
    return "Do not use your email address as your password.";
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
        if (problem) ctx.addIssue({ code: "custom", path: [field], message: problem });
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
