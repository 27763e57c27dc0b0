import { createHmac, randomInt, timingSafeEqual } from "node:crypto";

// The access code of a ticket opened without an account: 8 characters a person can read aloud and
// type on a kiosk keyboard, from an alphabet without look-alikes (no 0/O, no 1/I/L), 40 bits.

export const CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";
const CODE_LENGTH = 8;

export function newAccessCode(): string {
  let code = "";
  for (let i = 0; i < CODE_LENGTH; i++) code += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
  return code;
}

/** "ABCD-EFGH": two groups of four, for reading aloud and copying down. */
export const groupCode = (code: string) => `${code.slice(0, 4)}-${code.slice(4)}`;

/** What a person typed, as a code: any case, spaces and dashes ignored. */
export const normaliseCode = (typed: string) => typed.toUpperCase().replace(/[\s-]+/g, "");

/**
 * The stored form of a code: an HMAC under AUTH_SECRET, so a copy of the database alone cannot
 * test guesses offline (40 bits would not survive a plain hash), and the code itself is never stored.
 */
export const hashCode = (secret: Uint8Array, code: string) =>
  createHmac("sha256", secret)
    .update(`guest-code:${normaliseCode(code)}`)
    .digest("hex");

/** A typed code against the stored HMAC, in constant time. */
export function codeMatches(secret: Uint8Array, typed: string, stored: string | null | undefined): boolean {
  const a = Buffer.from(hashCode(secret, typed));
  // A ticket without a code (or no ticket) is compared against itself: the same work, never a match.
  const b = Buffer.from(stored ?? "0".repeat(64));
  return a.length === b.length && timingSafeEqual(a, b) && Boolean(stored);
}

/** A signed value: `value.mac`, the MAC under AUTH_SECRET for one purpose. */
export function sign(secret: Uint8Array, purpose: string, value: string): string {
  const mac = createHmac("sha256", secret).update(`${purpose}:${value}`).digest("base64url");
  return `${value}.${mac}`;
}

/** The value of a signed string if its MAC is right for the purpose, else null. */
export function unsign(secret: Uint8Array, purpose: string, signed: string | undefined): string | null {
  if (!signed) return null;
  const dot = signed.lastIndexOf(".");
  if (dot <= 0) return null;
  const value = signed.slice(0, dot);
  const expected = Buffer.from(sign(secret, purpose, value));
  const got = Buffer.from(signed);
  return expected.length === got.length && timingSafeEqual(expected, got) ? value : null;
}
