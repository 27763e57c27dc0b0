import { createHash, randomBytes, randomInt } from "node:crypto";
import { Secret, TOTP } from "otpauth";
import { renderSVG } from "uqr";
import type { Tx } from "../db/prisma.js";
import type { Deps } from "../env.js";
import { linkMessages, mailLanguage, publicBase } from "../mail/messages.js";
import { enqueue } from "../mail/outbox.js";
import { isStaff } from "./authorization.js";
import { changingSessions } from "./session-cache.js";
import { type RequestMeta, type SignedIn, startSession, toCurrentUser, withPasskeys } from "./sessions.js";
import { beginAttempt, giveBackAttempt, type Limit } from "./throttle.js";

// Two-factor sign-in with an authenticator app (TOTP, RFC 6238: SHA-1, 6 digits, 30 s) and ten
// single-use recovery codes. A password or a sign-in link of a person who has it turned on leads
// to a half-signed state (PendingSignIn), not a session: the second step's form finishes it.

const PERIOD_S = 30;
/** A code of the step before or after is taken too: a phone's clock a little off, a code typed as it turned. */
const WINDOW = 1;
export const RECOVERY_CODES = 10;
/** How long the second step's form waits for its code after the password was right. */
export const PENDING_MINUTES = 5;
/** Wrong codes on one half-signed state before it is dropped (the password is asked again). */
export const PENDING_MAX_FAILURES = 5;
const SETTING = "require_2fa_staff";

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

function totpFor(deps: Deps, secret: string, email: string) {
  return new TOTP({
    issuer: deps.config.mail.from.name,
    label: email,
    secret: Secret.fromBase32(secret),
    period: PERIOD_S,
    digits: 6,
    algorithm: "SHA1",
  });
}

/** What the set-up page shows: the secret as text (groups of four) and as a QR code (SVG, made here). */
export function setupOf(deps: Deps, secret: string, email: string) {
  const uri = totpFor(deps, secret, email).toString();
  return { secret: secret.replace(/(.{4})(?=.)/g, "$1 "), uri, qr: renderSVG(uri, { border: 2 }) };
}

/** The time step a six-digit code is right for (now, or one step either side), or null. */
export function stepOfCode(deps: Deps, secret: string, email: string, code: string, now: Date): number | null {
  if (!/^\d{6}$/.test(code)) return null;
  const delta = totpFor(deps, secret, email).validate({ token: code, timestamp: now.getTime(), window: WINDOW });
  return delta === null ? null : Math.floor(now.getTime() / 1000 / PERIOD_S) + delta;
}

/** Spaces and dashes dropped, lower case: "ABCDE-FGHIJ", "abcde fghij" and "abcdefghij" are one code. */
const normalise = (code: string) => code.replace(/[\s-]/g, "").toLowerCase();
const RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789";

function newRecoveryCode(): string {
  let code = "";
  for (let i = 0; i < 10; i++) code += RECOVERY_ALPHABET[randomInt(RECOVERY_ALPHABET.length)];
  return `${code.slice(0, 5)}-${code.slice(5)}`;
}

async function record(tx: Tx, userId: number, actorId: number | null, kind: string, now: Date) {
  await tx.personEvent.create({ data: { userId, actorId, kind, createdAt: now } });
}

/** Ten new recovery codes (the old ones stop working); returned once, stored hashed. */
export async function replaceRecoveryCodes(tx: Tx, userId: number, now: Date): Promise<string[]> {
  const codes = Array.from({ length: RECOVERY_CODES }, newRecoveryCode);
  await tx.recoveryCode.deleteMany({ where: { userId } });
  await tx.recoveryCode.createMany({
    data: codes.map((c) => ({ userId, hash: sha256(normalise(c)), createdAt: now })),
  });
  return codes;
}

/** Starts setting up (or starts again): a new secret, kept apart until a code confirms it. */
export async function beginSetup(deps: Deps, userId: number): Promise<string> {
  const secret = new Secret({ size: 20 }).base32;
  await deps.db.user.update({ where: { id: userId }, data: { totpPendingSecret: secret } });
  return secret;
}

/**
 * Confirms the secret being set up with a code from the app: two-factor is on, and the ten
 * recovery codes are returned to be shown once. Null when the code is not right (or nothing is
 * being set up).
 */
export async function confirmSetup(deps: Deps, userId: number, code: string): Promise<string[] | null> {
  const now = deps.clock.now();
  const user = await deps.db.user.findUniqueOrThrow({ where: { id: userId } });
  if (!user.totpPendingSecret) return null;
  const step = stepOfCode(deps, user.totpPendingSecret, user.email, code.trim(), now);
  if (step === null) return null;
  return changingSessions(deps, async (tx) => {
    // The secret confirmed is the one still waiting: a set-up restarted in another tab meanwhile wins.
    const { count } = await tx.user.updateMany({
      where: { id: userId, totpPendingSecret: user.totpPendingSecret },
      data: { totpSecret: user.totpPendingSecret, totpPendingSecret: null, totpEnabledAt: now, totpLastStep: step },
    });
    if (!count) return null;
    await record(tx, userId, userId, "2fa_on", now);
    return replaceRecoveryCodes(tx, userId, now);
  });
}

export type SecondFactor = "code" | "recovery" | null;

/**
 * Checks a code from the app or a recovery code, and uses it up: a code is taken once (its time
 * step, and every one before it, is spent; of two requests with the same code only one gets
 * through) and a recovery code works once. Which kind was right, or null.
 */
export async function useSecondFactor(deps: Deps, userId: number, input: string): Promise<SecondFactor> {
  const now = deps.clock.now();
  const user = await deps.db.user.findUnique({ where: { id: userId } });
  if (!user) return null;
  const code = input.trim().replace(/\s/g, "");
  // The app's code, where there is an app (a person with passkeys only has recovery codes here).
  const step = user.totpSecret ? stepOfCode(deps, user.totpSecret, user.email, code, now) : null;
  if (step !== null) {
    const { count } = await deps.db.user.updateMany({
      where: { id: userId, totpSecret: user.totpSecret, OR: [{ totpLastStep: null }, { totpLastStep: { lt: step } }] },
      data: { totpLastStep: step },
    });
    return count ? "code" : null;
  }
  if (!/^[a-z0-9]{10}$/.test(normalise(input))) return null;
  const hash = sha256(normalise(input));
  return deps.db.$transaction(async (tx) => {
    const { count } = await tx.recoveryCode.updateMany({
      where: { userId, hash, usedAt: null },
      data: { usedAt: now },
    });
    if (!count) return null;
    await record(tx, userId, userId, "recovery_used", now);
    return "recovery";
  });
}

/** Ten new recovery codes for a person whose two-factor is on, made on their own request. */
export async function newRecoveryCodes(deps: Deps, userId: number): Promise<string[]> {
  const now = deps.clock.now();
  return deps.db.$transaction(async (tx) => {
    await record(tx, userId, userId, "recovery_new", now);
    return replaceRecoveryCodes(tx, userId, now);
  });
}

export const unusedRecoveryCodes = (deps: Deps, userId: number) =>
  deps.db.recoveryCode.count({ where: { userId, usedAt: null } });

const off = {
  totpSecret: null,
  totpPendingSecret: null,
  totpEnabledAt: null,
  totpLastStep: null,
} as const;

/**
 * Turns the authenticator app off, by its owner (their passkeys, and so their recovery codes, stay),
 * or every second factor of a person, reset by an admin, who mails them. Whether a passkey remains.
 */
export async function turnOff(deps: Deps, userId: number, actorId: number): Promise<boolean> {
  const now = deps.clock.now();
  const byAdmin = actorId !== userId;
  return changingSessions(deps, async (tx) => {
    const user = await tx.user.update({ where: { id: userId }, data: off });
    if (byAdmin) await tx.passkey.deleteMany({ where: { userId } });
    const remains = (await tx.passkey.count({ where: { userId } })) > 0;
    if (!remains) {
      await tx.recoveryCode.deleteMany({ where: { userId } });
      await tx.pendingSignIn.deleteMany({ where: { userId } });
    }
    await record(tx, userId, actorId, byAdmin ? "2fa_reset" : "2fa_off", now);
    if (byAdmin) {
      const i18n = mailLanguage(deps.config, user);
      const url = `${publicBase(deps.config)}/account/two-factor`;
      const message = linkMessages.twoFactorReset(deps.config, i18n, user.name, url);
      await enqueue(deps, tx, { ...message, kind: "two_factor_reset", to: user }, now);
    }
    return remains;
  });
}

/**
 * Whether agents and admins must use two-factor: the environment says so, or an admin did. Every
 * staff request asks (the auth middleware), so the admin's answer is kept with the session cache
 * (a Prisma read of it was about 1 ms of the queue page's 9.3 ms of CPU, 2026-12-08)
 * and saved as a change to sessions, which empties that cache in every instance.
 */
export async function staffMustUse2fa(deps: Deps): Promise<{ required: boolean; byEnvironment: boolean }> {
  if (deps.config.require2faForStaff) return { required: true, byEnvironment: true };
  const known = deps.sessions.fact<boolean>(SETTING);
  if (known !== undefined) return { required: known, byEnvironment: false };
  const generation = deps.sessions.generation;
  const row = await deps.db.setting.findUnique({ where: { key: SETTING } });
  settingReads.count++;
  const required = row?.value === "true";
  deps.sessions.setFact(SETTING, required, generation);
  return { required, byEnvironment: false };
}
/** How often the setting was read from the database (the tests hold the cache to its word). */
export const settingReads = { count: 0 };

export async function saveStaffMustUse2fa(deps: Deps, required: boolean): Promise<void> {
  const value = String(required);
  await changingSessions(deps, (tx) =>
    tx.setting.upsert({ where: { key: SETTING }, create: { key: SETTING, value }, update: { value } }),
  );
}

/** A person who must set two-factor up before anything else: staff, without it, where it is required. */
export async function mustSetUp2fa(deps: Deps, user: { role: string; twoFactor?: boolean }): Promise<boolean> {
  return isStaff(user) && !user.twoFactor && (await staffMustUse2fa(deps)).required;
}

// The half-signed state: a random token in a short cookie of this browser, its SHA-256 here.

/** After the first factor: a token for the second step's cookie. */
export async function startPendingSignIn(deps: Deps, userId: number, next: string | undefined): Promise<string> {
  const now = deps.clock.now();
  const token = randomBytes(32).toString("base64url");
  await deps.db.pendingSignIn.create({
    data: {
      hash: sha256(token),
      userId,
      next: next ?? null,
      createdAt: now,
      expiresAt: new Date(now.getTime() + PENDING_MINUTES * 60_000),
    },
  });
  return token;
}

const livePending = (deps: Deps, token: string) => ({
  hash: sha256(token),
  expiresAt: { gt: deps.clock.now() },
  failures: { lt: PENDING_MAX_FAILURES },
  user: { disabledAt: null, OR: [{ totpSecret: { not: null } }, { passkeys: { some: {} } }] },
});

/** The person a half-signed state is for, while it lasts. */
export async function pendingSignIn(deps: Deps, token: string | undefined) {
  if (!token || !/^[\w-]{43}$/.test(token)) return null;
  return deps.db.pendingSignIn.findFirst({
    where: livePending(deps, token),
    select: { userId: true, next: true, user: { select: { name: true, email: true } } },
  });
}

/**
 * Wrong codes a person's account may take: LOGIN_MAX_FAILURES per LOGIN_WINDOW_MINUTES, whoever
 * sends them (whoever asks has the password already), plus the address's sign-in limit. Five
 * guesses per 15 minutes at a 6-digit code (3 of a million right, with the window) is about a 0.14 %
 * chance a day.
 */
export function codeLimits(deps: Deps, userId: number, meta: RequestMeta): Limit[] {
  const { config } = deps;
  return [
    { key: `2fa:account:${userId}`, max: config.loginMaxFailures, windowMs: config.loginWindowMs },
    { key: `login:address:${meta.address}`, max: config.loginMaxFailuresPerAddress, windowMs: config.loginWindowMs },
  ];
}

export type SecondStepResult =
  | ({ ok: true; next: string | null; used: "code" | "recovery"; recoveryLeft: number } & SignedIn)
  | { ok: false; reason: "gone" }
  | { ok: false; reason: "wrong"; left: number }
  | { ok: false; reason: "throttled"; retryAt: Date };

/**
 * The second step: the code (or a recovery code) for the half-signed state of this browser. Right:
 * the state is used up (once, however many requests carry it) and a session starts. Wrong: counted
 * on the state (dropped after PENDING_MAX_FAILURES) and against the person and the address with
 * the sign-in throttle's limits.
 */
export async function finishSignIn(
  deps: Deps,
  token: string | undefined,
  input: string,
  meta: RequestMeta,
): Promise<SecondStepResult> {
  const { db } = deps;
  const now = deps.clock.now();
  const pending = await pendingSignIn(deps, token);
  if (!pending || !token) return { ok: false, reason: "gone" };
  const limits = codeLimits(deps, pending.userId, meta);
  const retryAt = await beginAttempt(db, limits, now);
  if (retryAt) return { ok: false, reason: "throttled", retryAt };
  const used = await useSecondFactor(deps, pending.userId, input);
  const hash = sha256(token);
  if (!used) {
    await db.pendingSignIn.updateMany({ where: { hash }, data: { failures: { increment: 1 } } });
    const row = await db.pendingSignIn.findUnique({ where: { hash }, select: { failures: true } });
    return {
      ok: false,
      reason: "wrong",
      left: Math.max(0, PENDING_MAX_FAILURES - (row?.failures ?? PENDING_MAX_FAILURES)),
    };
  }
  const session = await completePending(deps, token, meta);
  if (!session) return { ok: false, reason: "gone" };
  await giveBackAttempt(db, limits, now);
  const recoveryLeft = used === "recovery" ? await unusedRecoveryCodes(deps, pending.userId) : RECOVERY_CODES;
  return { ok: true, used, recoveryLeft, ...session };
}

/**
 * The second step was right (a code, or a passkey checked by the route): the half-signed state is
 * used up, once however many requests carry it, and a session starts. Null when it is gone.
 */
export async function completePending(
  deps: Deps,
  token: string | undefined,
  meta: RequestMeta,
): Promise<({ next: string | null } & SignedIn) | null> {
  const pending = await pendingSignIn(deps, token);
  if (!pending || !token) return null;
  const { count } = await deps.db.pendingSignIn.deleteMany({ where: livePending(deps, token) });
  if (!count) return null;
  const user = await deps.db.user.findUniqueOrThrow({ where: { id: pending.userId }, include: withPasskeys });
  return { next: pending.next, ...(await startSession(deps, toCurrentUser(user), meta)) };
}
