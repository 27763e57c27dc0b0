import { randomUUID } from "node:crypto";
import type { CurrentUser, Deps } from "../env.js";
import { signAuthToken, verifyAuthToken } from "../http/auth/token.js";
import type { Language } from "../i18n/languages.js";
import { isRole } from "./authorization.js";
import { changingSessions } from "./session-cache.js";

// A person's sessions, from start to end: one row each on the server, named by the signed token
// in their cookie, checked on every request (getCurrentUser) and listed on the account page.

/** Who is asking: their browser, their address, and the language of the page they asked from. */
export type RequestMeta = { userAgent: string; address: string; language?: Language };
export type SignedIn = { user: CurrentUser; sessionId: string; token: string; expiresAt: Date };

export const toCurrentUser = (u: {
  id: number;
  email: string;
  name: string;
  role: string;
  startView?: string | null;
  language?: string | null;
  totpEnabledAt?: Date | null;
  _count?: { passkeys: number };
}): CurrentUser => ({
  id: u.id,
  email: u.email,
  name: u.name,
  role: isRole(u.role) ? u.role : "requester",
  startView: u.startView ?? null,
  language: u.language ?? null,
  twoFactor: hasSecondFactor(u),
});

/** The person signs in with a second factor: an authenticator app, or a passkey (count included with `withPasskeys`). */
export const hasSecondFactor = (u: { totpEnabledAt?: Date | null; _count?: { passkeys: number } }) =>
  Boolean(u.totpEnabledAt) || (u._count?.passkeys ?? 0) > 0;

/** For a query of a person: their passkeys counted, for hasSecondFactor. */
export const withPasskeys = { _count: { select: { passkeys: true } } } as const;

/** A new server-side session and the signed token that names it. */
export async function startSession(
  deps: Deps,
  user: CurrentUser,
  meta: RequestMeta,
  sso?: { ssoProvider: string; idToken?: string },
): Promise<SignedIn> {
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
      ssoProvider: sso?.ssoProvider ?? null,
      idToken: sso?.idToken ?? null,
    },
  });
  const token = await signAuthToken({ userId: user.id, sessionId: session.id, expiresAt }, deps.config.authSecret, now);
  return { user, sessionId: session.id, token, expiresAt };
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
  const session = await deps.db.session.findUnique({
    where: { id: claims.sessionId },
    include: { user: { include: withPasskeys } },
  });
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

/** Sessions that still work: not ended, within their lifetime, used within the idle timeout (a person's, or everyone's). */
export function liveSessionsWhere(deps: Deps, userId?: number) {
  const now = deps.clock.now();
  return {
    ...(userId === undefined ? {} : { userId }),
    revokedAt: null,
    expiresAt: { gt: now },
    lastSeenAt: { gt: new Date(now.getTime() - deps.config.sessionIdleMs) },
  };
}

/** Everyone's live sessions (the operator's page). */
export const liveSessionsCount = (deps: Deps) => deps.db.session.count({ where: liveSessionsWhere(deps) });

/** A person's live sessions, the most recently used first, marking the one asking (the account page's device list). */
export async function liveSessions(deps: Deps, userId: number, current: string | null) {
  const rows = await deps.db.session.findMany({
    where: liveSessionsWhere(deps, userId),
    orderBy: { lastSeenAt: "desc" },
  });
  return rows.map((s) => ({ ...s, current: s.id === current }));
}

export const countLiveSessions = (deps: Deps, userId: number) =>
  deps.db.session.count({ where: liveSessionsWhere(deps, userId) });

/** The sessions of a person not yet ended, but the one named: what "sign out everywhere" ends. */
export const openSessionsOf = (userId: number, except?: string) => ({
  userId,
  revokedAt: null,
  ...(except ? { id: { not: except } } : {}),
});

/** Ends every session of a person but the one named (sign out everywhere, or an admin for them). */
export async function endSessions(deps: Deps, userId: number, except?: string): Promise<number> {
  const { count } = await changingSessions(deps, (tx) =>
    tx.session.updateMany({ where: openSessionsOf(userId, except), data: { revokedAt: deps.clock.now() } }),
  );
  return count;
}

/** Ends one of a person's own sessions; another person's session id changes nothing. */
export async function endOwnSession(deps: Deps, userId: number, sessionId: string, current: string): Promise<boolean> {
  const { count } = await changingSessions(deps, (tx) =>
    tx.session.updateMany({
      where: { id: sessionId, userId, revokedAt: null, NOT: { id: current } },
      data: { revokedAt: deps.clock.now() },
    }),
  );
  return count > 0;
}
