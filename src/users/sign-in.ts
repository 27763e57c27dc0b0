import type { Deps } from "../env.js";
import { checkPassword, dummyHash, hashPassword } from "./password-rules.js";
import {
  hasSecondFactor,
  type RequestMeta,
  type SignedIn,
  startSession,
  toCurrentUser,
  withPasskeys,
} from "./sessions.js";
import { beginAttempt, clearAttempts, giveBackAttempt, type Limit } from "./throttle.js";
import { startPendingSignIn } from "./two-factor.js";

// Registering and signing in with a password: both throttled per address and account, both
// answering the same whether or not an address has an account.

export const normaliseEmail = (email: string) => email.trim().toLowerCase();

const registerLimits = (deps: Deps, meta: RequestMeta): Limit[] => [
  { key: `register:address:${meta.address}`, max: deps.config.registerMaxPerHour, windowMs: 60 * 60_000 },
];

/** `withoutPassword`: the address is an account's that has none yet (made from an email or a guest ticket). */
export type RegisterResult = { ok: true; withoutPassword?: boolean } | { ok: false; retryAt: Date };

/**
 * Creates a requester account (the password already checked by the form). A taken email gets the
 * same answer, after the same work, counted against the same limit: registering cannot tell
 * anyone which addresses have accounts. So nobody is signed in here; the person signs in next.
 */
export async function registerUser(
  deps: Deps,
  input: { name: string; email: string; password: string },
  meta: RequestMeta,
): Promise<RegisterResult> {
  const now = deps.clock.now();
  const limits = registerLimits(deps, meta);
  // Counted before the account is made, so a burst from one address cannot slip under the limit.
  const retryAt = await beginAttempt(deps.db, limits, now);
  if (retryAt) return { ok: false, retryAt };
  const email = normaliseEmail(input.email);
  const passwordHash = await hashPassword(input.password, deps.config.bcryptCost);
  try {
    // The language they registered in is theirs: pages and emails keep to it (changed on /account).
    const language = meta.language ?? null;
    await deps.db.user.create({ data: { email, name: input.name.trim(), passwordHash, createdAt: now, language } });
  } catch (error) {
    // Taken (P2002): answered exactly like a new account.
    if ((error as { code?: string }).code !== "P2002") throw error;
    const taken = await deps.db.user.findUnique({ where: { email }, select: { passwordHash: true, disabledAt: true } });
    if (taken && !taken.passwordHash && !taken.disabledAt) return { ok: true, withoutPassword: true };
  }
  return { ok: true };
}

/**
 * How long a failed sign-in waits before it is answered, once an account has more failures in the
 * window than one address may make: doubling from `baseMs`, at most 64 times it. A person who
 * knows their password never waits; a guesser spread over many addresses is slowed down.
 */
export function failureDelayMs(accountFailures: number, pairMax: number, baseMs: number): number {
  const past = accountFailures - pairMax;
  return past <= 0 ? 0 : baseMs * 2 ** Math.min(past - 1, 6);
}

/** Signed in, or (`secondStep`: the token of a half-signed state) the second factor still to come. */
export type LoginResult =
  | ({ ok: true; secondStep?: undefined } & SignedIn)
  | { ok: true; secondStep: string }
  | { ok: false; retryAt?: Date };

/**
 * Checks the credentials. An unknown email, a wrong password and a disabled account give the same
 * answer after the same bcrypt work; failures count against the account and the client address.
 */
export async function loginUser(
  deps: Deps,
  input: { email: string; password: string; next?: string },
  meta: RequestMeta,
): Promise<LoginResult> {
  const { config, db } = deps;
  const now = deps.clock.now();
  const email = normaliseEmail(input.email);
  // Tight per (account, address), loose per account, and per address across accounts: guessing
  // from other addresses cannot lock the owner out, and stays slow (see failureDelayMs).
  const pair: Limit = {
    key: `login:pair:${email}|${meta.address}`,
    max: config.loginMaxFailures,
    windowMs: config.loginWindowMs,
  };
  const account: Limit = {
    key: `login:account:${email}`,
    max: config.loginMaxFailuresPerAccount,
    windowMs: config.loginWindowMs,
  };
  const address: Limit = {
    key: `login:address:${meta.address}`,
    max: config.loginMaxFailuresPerAddress,
    windowMs: config.loginWindowMs,
  };
  const limits = [pair, account, address];
  // Past a limit, refused without even counting; otherwise counted as a failure until it is not.
  const retryAt = await beginAttempt(db, limits, now);
  if (retryAt) return { ok: false, retryAt };
  const user = await db.user.findUnique({ where: { email }, include: withPasskeys });
  // An account without a password (made from an incoming email; it signs in by link) takes the
  // same bcrypt work and never matches.
  const hash = user?.passwordHash || (await dummyHash(config.bcryptCost));
  const valid = (await checkPassword(input.password, hash)) && Boolean(user?.passwordHash);
  if (!user || !valid || user.disabledAt) {
    const failures = (await db.throttle.findUnique({ where: { key: account.key } }))?.count ?? 0;
    await new Promise((r) =>
      setTimeout(r, failureDelayMs(failures, config.loginMaxFailures, config.loginFailureDelayMs)),
    );
    return { ok: false };
  }
  await clearAttempts(db, [pair.key]);
  await giveBackAttempt(db, [account, address], now);
  if (hasSecondFactor(user)) return { ok: true, secondStep: await startPendingSignIn(deps, user.id, input.next) };
  return { ok: true, ...(await startSession(deps, toCurrentUser(user), meta)) };
}
