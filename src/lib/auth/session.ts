import { randomUUID } from "node:crypto";
import type { CurrentUser, Deps } from "../../env.js";
import type { Language } from "../../i18n/languages.js";
import { changingSessions } from "../../users/session-cache.js";
import { isRole } from "../authorization.js";
import { checkPassword, dummyHash, hashPassword } from "./passwords.js";
import { beginAttempt, clearAttempts, giveBackAttempt, type Limit } from "./throttle.js";
import { signAuthToken, verifyAuthToken } from "./token.js";

/** Who is asking: their browser, their address, and the language of the page they asked from. */
export type RequestMeta = { userAgent: string; address: string; language?: Language };
export type SignedIn = { user: CurrentUser; sessionId: string; token: string; expiresAt: Date };

const toCurrentUser = (u: {
  id: number;
  email: string;
  name: string;
  role: string;
  startView?: string | null;
  language?: string | null;
}): CurrentUser => ({
  id: u.id,
  email: u.email,
  name: u.name,
  role: isRole(u.role) ? u.role : "requester",
  startView: u.startView ?? null,
  language: u.language ?? null,
});

export const normaliseEmail = (email: string) => email.trim().toLowerCase();

/** A new server-side session and the signed token that names it. */
export async function startSession(deps: Deps, user: CurrentUser, meta: RequestMeta): Promise<SignedIn> {
  const now = deps.clock.now();
  const expiresAt = new Date(now.getTime() + deps.config.sessionMaxMs);
  const session = await deps.db.session.create({
    data: {
      id: randomUUID(),
      userId: user.id,
      userAgent: meta.userAgent.slice(0, 300),
      createdAt: now,
      lastSeenAt: now,
      expiresAt,
    },
  });
  const token = await signAuthToken({ userId: user.id, sessionId: session.id, expiresAt }, deps.config.authSecret, now);
  return { user, sessionId: session.id, token, expiresAt };
}

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

export type LoginResult = ({ ok: true } & SignedIn) | { ok: false; retryAt?: Date };

/**
 * Checks the credentials. An unknown email, a wrong password and a disabled account give the same
 * answer after the same bcrypt work; failures count against the account and the client address.
 */
export async function loginUser(
  deps: Deps,
  input: { email: string; password: string },
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
  const user = await db.user.findUnique({ where: { email } });
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
  return { ok: true, ...(await startSession(deps, toCurrentUser(user), meta)) };
}

/**
 * Ends the session on the server: its cookie is worthless from now on. The row goes entirely: a
 * person who signed out on purpose leaves nothing behind, not even a draft of an open form (an
 * idle timeout or a sign-out from elsewhere keeps the row, marked ended, and so keeps drafts).
 */
export async function logoutUser(deps: Deps, sessionId: string): Promise<void> {
  await changingSessions(deps, (tx) => tx.session.deleteMany({ where: { id: sessionId } }));
}

/**
 * The signed-in user of a token, or null. The token must be genuine and its session live on the
 * server: not ended, within its absolute lifetime and idle timeout, its account not disabled.
 */
export async function getCurrentUser(
  deps: Deps,
  token: string | undefined,
): Promise<{ user: CurrentUser; sessionId: string } | null> {
  if (!token) return null;
  const now = deps.clock.now();
  const claims = await verifyAuthToken(token, deps.config.authSecret, now);
  if (!claims) return null;
  const cache = deps.sessions;
  // Refresh the idle clock at most once a minute (or a fifth of the idle timeout), not on every request.
  const refreshAfterMs = Math.min(60_000, deps.config.sessionIdleMs / 5);
  const cached = cache.get(claims.sessionId);
  // A cached session answers only while its idle clock needs no refresh: every other case (and
  // the idle and lifetime checks that could end it) is decided on the database's row.
  if (
    cached &&
    cached.userId === claims.userId &&
    cached.expiresAt > now.getTime() &&
    now.getTime() - cached.lastSeenAt <= refreshAfterMs
  )
    return { user: cached.user, sessionId: claims.sessionId };
  const generation = cache.generation;
  const session = await deps.db.session.findUnique({ where: { id: claims.sessionId }, include: { user: true } });
  if (!session || session.userId !== claims.userId || session.revokedAt || session.user.disabledAt) return null;
  const idleMs = now.getTime() - session.lastSeenAt.getTime();
  if (session.expiresAt <= now || idleMs > deps.config.sessionIdleMs) return null;
  let lastSeenAt = session.lastSeenAt;
  if (idleMs > refreshAfterMs) {
    await deps.db.session.update({ where: { id: session.id }, data: { lastSeenAt: now } });
    lastSeenAt = now;
  }
  const user = toCurrentUser(session.user);
  cache.set(
    session.id,
    { userId: session.userId, lastSeenAt: lastSeenAt.getTime(), expiresAt: session.expiresAt.getTime(), user },
    generation,
  );
  return { user, sessionId: session.id };
}
