import type { Deps } from "../env.js";
import { changingSessions } from "./session-cache.js";

/** Sessions that still work: not ended, within their lifetime, used within the idle timeout. */
export function liveSessionsWhere(deps: Deps, userId: number) {
  const now = deps.clock.now();
  return {
    userId,
    revokedAt: null,
    expiresAt: { gt: now },
    lastSeenAt: { gt: new Date(now.getTime() - deps.config.sessionIdleMs) },
  };
}

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
