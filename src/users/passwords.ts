import type { Deps } from "../env.js";
import { checkPassword, hashPassword } from "../lib/auth/passwords.js";

/** Whether this is the person's current password (for changes that must be confirmed with it). */
export async function isCurrentPassword(deps: Deps, userId: number, password: string): Promise<boolean> {
  const user = await deps.db.user.findUniqueOrThrow({ where: { id: userId }, select: { passwordHash: true } });
  return checkPassword(password, user.passwordHash);
}

/**
 * Sets a new password (already checked against the rules) and ends every other session of the
 * person in the same transaction: a stolen session dies with the old password. The sessions ended.
 */
export async function setPassword(deps: Deps, userId: number, password: string, keepSession?: string): Promise<number> {
  const passwordHash = await hashPassword(password, deps.config.bcryptCost);
  const now = deps.clock.now();
  const [, ended] = await deps.db.$transaction([
    deps.db.user.update({ where: { id: userId }, data: { passwordHash } }),
    deps.db.session.updateMany({
      where: { userId, revokedAt: null, ...(keepSession ? { id: { not: keepSession } } : {}) },
      data: { revokedAt: now },
    }),
  ]);
  return ended.count;
}
