import type { Deps } from "../env.js";
import { checkPassword, hashPassword } from "./password-rules.js";
import { changingSessions } from "./session-cache.js";
import type { RequestMeta } from "./sessions.js";
import { openSessionsOf } from "./sessions.js";
import { beginAttempt, giveBackAttempt, type Limit } from "./throttle.js";

/**
 * Whether this is the person's current password (for changes that must be confirmed with it), or
 * the time to try again: wrong guesses count against the account and the address like sign-in's,
 * before the check, so a stolen session cannot use this form to guess the password.
 */
export async function checkCurrentPassword(
  deps: Deps,
  userId: number,
  password: string,
  meta: RequestMeta,
): Promise<boolean | Date> {
  const { db, config } = deps;
  const now = deps.clock.now();
  const limits: Limit[] = [
    { key: `password:account:${userId}`, max: config.loginMaxFailures, windowMs: config.loginWindowMs },
    { key: `login:address:${meta.address}`, max: config.loginMaxFailuresPerAddress, windowMs: config.loginWindowMs },
  ];
  const retryAt = await beginAttempt(db, limits, now);
  if (retryAt) return retryAt;
  const user = await db.user.findUniqueOrThrow({ where: { id: userId }, select: { passwordHash: true } });
  const right = await checkPassword(password, user.passwordHash);
  if (right) await giveBackAttempt(db, limits, now);
  return right;
}

/**
 * Sets a new password (already checked against the rules) and ends every other session of the
 * person in the same transaction (and every unused email link): a stolen session dies with the old
 * password. The sessions ended.
 */
export async function setPassword(deps: Deps, userId: number, password: string, keepSession?: string): Promise<number> {
  const passwordHash = await hashPassword(password, deps.config.bcryptCost);
  const now = deps.clock.now();
  return changingSessions(deps, async (tx) => {
    await tx.user.update({ where: { id: userId }, data: { passwordHash } });
    const ended = await tx.session.updateMany({ where: openSessionsOf(userId, keepSession), data: { revokedAt: now } });
    // A reset link sent before the change must not undo it.
    await tx.linkToken.updateMany({ where: { userId, usedAt: null }, data: { usedAt: now } });
    return ended.count;
  });
}
