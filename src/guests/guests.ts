import { createHash } from "node:crypto";
import type { Upload } from "../attachments/files.js";
import type { CurrentUser, Deps } from "../env.js";
import type { Priority } from "../tickets/model.js";
import { openTicket } from "../tickets/open.js";
import { isRole } from "../users/authorization.js";
import type { RequestMeta } from "../users/sessions.js";
import { normaliseEmail } from "../users/sign-in.js";
import { giveBackAttempt, type Limit, paceAttempt, takeAttempt } from "../users/throttle.js";
import { newGuest } from "./claims.js";
import { codeMatches, hashCode, newAccessCode, sign, unsign } from "./codes.js";

// Tickets without an account, for people at a shared kiosk: opened with an optional email
// address, followed with the ticket's number and access code, in a short session that ends with
// the browser and after the kiosk's idle time.

/**
 * The spam guard of the guest form, without JavaScript or a third party: a signed time stamp.
 * A form sent under 3 seconds after it was shown is a script; one older than an hour is stale.
 */
export const STAMP_MIN_MS = 3_000;
export const STAMP_MAX_MS = 3_600_000;
/** The browser a stamp is for: a digest of its CSRF token, which is bound to its form cookie. */
const browserOf = (csrfToken: string) => createHash("sha256").update(csrfToken).digest("base64url").slice(0, 16);

/** The stamp of a guest form shown now to this browser (its CSRF token). */
export const formStamp = (deps: Deps, csrfToken: string) =>
  sign(deps.config.authSecret, "guest-form", `${deps.clock.now().getTime()}.${browserOf(csrfToken)}`);

/** What is wrong with a stamp sent back by this browser: made for another one is "bad", as a forged one is. */
export function stampProblem(
  deps: Deps,
  stamp: string | undefined,
  csrfToken: string,
): "too fast" | "too old" | "bad" | null {
  const value = unsign(deps.config.authSecret, "guest-form", stamp);
  const m = value?.match(/^(\d{1,15})\.([A-Za-z0-9_-]{16})$/);
  if (!m || m[2] !== browserOf(csrfToken)) return "bad";
  const age = deps.clock.now().getTime() - Number(m[1]);
  if (age < STAMP_MIN_MS) return "too fast";
  if (age > STAMP_MAX_MS) return "too old";
  return null;
}

/**
 * Spends a stamp (in the database, so on every instance): true the first time, false when this
 * stamp opened a ticket before. A form is good for one ticket.
 */
export async function spendStamp(deps: Deps, stamp: string): Promise<boolean> {
  const key = `guest:stamp:${createHash("sha256").update(stamp).digest("base64url").slice(0, 32)}`;
  return !(await takeAttempt(deps.db, [{ key, max: 1, windowMs: STAMP_MAX_MS }], deps.clock.now()));
}

export type GuestInput = { subject: string; description: string; priority: Priority; email?: string };

/**
 * Opens a guest ticket. Its requester is a guest account of its own; an address given is only
 * claimed (guests/claims.ts): it is sent a receipt in the desk's words with a link to confirm, and
 * the ticket joins that address's account once its owner does. Throttled per client address and
 * per address given. Returns the number and the code, which is shown once and never stored.
 */
export async function openGuestTicket(
  deps: Deps,
  input: GuestInput,
  files: Upload[],
  meta: RequestMeta,
): Promise<{ ok: true; id: number; code: string } | { ok: false; retryAt: Date }> {
  const { config, db } = deps;
  const now = deps.clock.now();
  const hour = 3_600_000;
  const email = input.email ? normaliseEmail(input.email) : undefined;
  const limits: Limit[] = [{ key: `guest:open:${meta.address}`, max: config.guests.perHour, windowMs: hour }];
  // However many machines it comes from, one address is not sent more than this many receipts.
  if (email) limits.push({ key: `guest:to:${email}`, max: config.guests.perAddressPerHour, windowMs: hour });
  const retryAt = await takeAttempt(db, limits, now);
  if (retryAt) return { ok: false, retryAt };
  // A disabled account's address is not written to: the ticket is the guest's alone.
  const disabled =
    email && (await db.user.findFirst({ where: { email, disabledAt: { not: null } }, select: { id: true } }));
  const requester = await newGuest(db, now, "Guest", meta.language);
  const code = newAccessCode();
  const { email: _email, ...fields } = input;
  const { id } = await openTicket(deps, requester, fields, undefined, {
    files,
    ticket: { guest: true, accessCode: hashCode(config.authSecret, code), claimedEmail: disabled ? null : email },
  });
  return { ok: true, id, code };
}

/**
 * As sign-in's: tight per (ticket, client address), loose per ticket from all addresses, and per
 * address across tickets. Past any of them guesses are paced, not refused for the window
 * (paceAttempt): a whole library behind one address, or someone guessing at a ticket from
 * anywhere, makes the right code wait seconds at most, and 40 bits of code stay out of reach.
 */
const lookupLimits = (deps: Deps, number: number, meta: RequestMeta): Limit[] => {
  const { config } = deps;
  const windowMs = config.loginWindowMs;
  return [
    { key: `guest:code:pair:${number}|${meta.address}`, max: config.loginMaxFailures, windowMs },
    { key: `guest:code:ticket:${number}`, max: config.loginMaxFailuresPerAccount, windowMs },
    { key: `guest:code:address:${meta.address}`, max: config.loginMaxFailuresPerAddress, windowMs },
  ];
};

/**
 * A guest ticket by number and code, or why not. A wrong number and a wrong code are one answer
 * ("no match"), after the same work; attempts are counted per ticket and per client address in
 * the database (every instance sees them), a right one is given back, and past a limit the answer
 * may be "wait" for a few seconds.
 */
export async function lookUpGuestTicket(
  deps: Deps,
  number: number,
  code: string,
  meta: RequestMeta,
): Promise<{ ok: true; ticketId: number } | { ok: false; retryAt?: Date }> {
  const { db, config } = deps;
  const now = deps.clock.now();
  const limits = lookupLimits(deps, number, meta);
  const retryAt = await paceAttempt(db, limits, now);
  if (retryAt) return { ok: false, retryAt };
  const ticket = await db.ticket.findUnique({
    where: { id: number },
    select: { id: true, guest: true, accessCode: true },
  });
  const stored = ticket?.guest ? ticket.accessCode : null;
  if (!codeMatches(config.authSecret, code, stored)) return { ok: false };
  await giveBackAttempt(db, limits, now);
  return { ok: true, ticketId: number };
}

// The guest's session: a cookie of the ticket, the last time it was used, and a MAC over both and
// the ticket's code (a new code ends every session of the old one). It has no expiry date, so it
// ends with the browser, and the server refuses it after the idle time.
const SESSION = "guest-session";

export function guestSessionValue(deps: Deps, ticketId: number, accessCode: string): string {
  const seen = deps.clock.now().getTime().toString(36);
  return sign(deps.config.authSecret, `${SESSION}:${accessCode}`, `${ticketId}.${seen}`);
}

export type GuestSession = { ticketId: number; requester: CurrentUser; accessCode: string };
/** A genuine guest view that ran out of idle time: whose it was, so what they typed can be kept for them. */
export type IdleGuest = { idle: true; ticketId: number; requesterId: number };

/**
 * The guest of a cookie: live; idle too long (a genuine cookie: IdleGuest); "ended" (its code
 * changed, or not ours); or none.
 */
export async function readGuestSession(
  deps: Deps,
  cookie: string | undefined,
): Promise<GuestSession | IdleGuest | "ended" | null> {
  if (!cookie || cookie.length > 200) return null;
  const m = cookie.match(/^(\d{1,9})\.([0-9a-z]{1,12})\./);
  if (!m) return null;
  const ticketId = Number(m[1]);
  const ticket = await deps.db.ticket.findUnique({
    where: { id: ticketId },
    select: {
      guest: true,
      accessCode: true,
      requester: { select: { id: true, email: true, name: true, role: true, disabledAt: true } },
    },
  });
  if (!ticket?.guest || !ticket.accessCode) return "ended";
  if (!unsign(deps.config.authSecret, `${SESSION}:${ticket.accessCode}`, cookie)) return "ended";
  if (deps.clock.now().getTime() - Number.parseInt(m[2]!, 36) > deps.config.sessionIdleMs)
    return { idle: true, ticketId, requesterId: ticket.requester.id };
  const r = ticket.requester;
  // A guest is a requester on this one ticket, whatever the account of the address given may be.
  if (r.disabledAt || (isRole(r.role) && r.role !== "requester")) return "ended";
  return {
    ticketId,
    accessCode: ticket.accessCode,
    requester: { id: r.id, email: r.email, name: r.name, role: "requester" },
  };
}
