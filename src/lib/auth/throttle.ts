import type { Db } from "../../db/prisma.js";

// Counts live in the database, so every app instance sees the same numbers.

export type Limit = { key: string; max: number; windowMs: number };

/** The time the first exhausted limit frees up, or null when every limit has room. */
export async function throttledUntil(db: Db, limits: Limit[], now: Date): Promise<Date | null> {
  const rows = await db.throttle.findMany({ where: { key: { in: limits.map((l) => l.key) } } });
  let until: Date | null = null;
  for (const row of rows) {
    const limit = limits.find((l) => l.key === row.key);
    if (limit && row.resetAt > now && row.count >= limit.max && (!until || row.resetAt > until)) until = row.resetAt;
  }
  return until;
}

const codeOf = (error: unknown) => (error as { code?: string }).code;

/**
 * Adds one to a limit's count in its window, or starts a new window; the new count. Attempts
 * arriving together each get their own number: one UPDATE each, and only one of them may start a
 * window (the others find it started and count in it).
 */
async function bump(db: Db, { key, windowMs }: Limit, now: Date): Promise<{ count: number; resetAt: Date }> {
  const select = { count: true, resetAt: true } as const;
  const fresh = { count: 1, resetAt: new Date(now.getTime() + windowMs) };
  for (let tries = 0; tries < 5; tries++) {
    try {
      return await db.throttle.update({
        where: { key, resetAt: { gt: now } },
        data: { count: { increment: 1 } },
        select,
      });
    } catch (error) {
      if (codeOf(error) !== "P2025") throw error;
    }
    if ((await db.throttle.updateMany({ where: { key, resetAt: { lte: now } }, data: fresh })).count) return fresh;
    try {
      return await db.throttle.create({ data: { key, ...fresh }, select });
    } catch (error) {
      if (codeOf(error) !== "P2002") throw error;
    }
  }
  throw new Error(`throttle ${key}: its row kept changing under five tries`);
}

/**
 * Counts an attempt before it is tried, so that attempts arriving all at once cannot all slip
 * under the limit: the time the overflowing limit frees up, or null when it may go on. Limits are
 * counted in order and an attempt refused by one is not counted by those after it: a burst that
 * one (account, address) pair cannot make does not use up the account's own, looser limit.
 */
export async function takeAttempt(db: Db, limits: Limit[], now: Date): Promise<Date | null> {
  for (const limit of limits) {
    const { count, resetAt } = await bump(db, limit, now);
    if (count > limit.max) return resetAt;
  }
  return null;
}

/**
 * An attempt past a limit is refused without being counted; any other is counted before it is
 * tried. The time to try again, or null when it may go on.
 */
export async function beginAttempt(db: Db, limits: Limit[], now: Date): Promise<Date | null> {
  return (await throttledUntil(db, limits, now)) ?? (await takeAttempt(db, limits, now));
}

/** Takes back an attempt that turned out fine (a right password is no failure). */
export async function giveBackAttempt(db: Db, limits: Limit[], now: Date): Promise<void> {
  for (const { key } of limits)
    await db.throttle.updateMany({
      where: { key, resetAt: { gt: now }, count: { gt: 0 } },
      data: { count: { decrement: 1 } },
    });
}

export async function clearAttempts(db: Db, keys: string[]): Promise<void> {
  await db.throttle.deleteMany({ where: { key: { in: keys } } });
}
