import type { Db } from "../db/prisma.js";

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

/** Counts one more in a limit's window: the count so far and when the window ends. */
export const countAttempt = (db: Db, limit: Limit, now: Date) => bump(db, limit, now);

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

/** The longest a paced attempt waits (pace below): long enough to put 40 bits out of reach, short enough for a person. */
export const PACE_MAX_MS = 30_000;

/**
 * Slows guesses down instead of locking the right answer out: every attempt is counted in each
 * limit's window (as takeAttempt does); past a limit's `max`, an attempt must take that limit's
 * one slot, which then stays taken for 1 s, 2 s, 4 s... (at most PACE_MAX_MS) as the count grows.
 * Attempts arriving together cannot share a slot (one conditional UPDATE takes it). The time the
 * slot frees, or null when the attempt may go on. Five guesses at 30 s a slot from then on is
 * about 2,900 a day per limit: a 40-bit code stays out of reach, and the person with the right
 * code waits half a minute at worst, never the whole window.
 */
export async function paceAttempt(db: Db, limits: Limit[], now: Date): Promise<Date | null> {
  for (const limit of limits) {
    const { count } = await bump(db, limit, now);
    if (count <= limit.max) continue;
    const waitMs = Math.min(PACE_MAX_MS, 1000 * 2 ** Math.min(15, count - limit.max - 1));
    const key = `${limit.key}:pace`;
    const freeAt = new Date(now.getTime() + waitMs);
    const taken = await db.throttle.updateMany({
      where: { key, resetAt: { lte: now } },
      data: { count: 1, resetAt: freeAt },
    });
    if (taken.count) continue;
    try {
      await db.throttle.create({ data: { key, count: 1, resetAt: freeAt } });
    } catch (error) {
      if (codeOf(error) !== "P2002") throw error;
      const row = await db.throttle.findUnique({ where: { key } });
      return row && row.resetAt > now ? row.resetAt : freeAt;
    }
  }
  return null;
}
