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

export async function countAttempt(db: Db, limits: Limit[], now: Date): Promise<void> {
  for (const { key, windowMs } of limits) {
    const fresh = { count: 1, resetAt: new Date(now.getTime() + windowMs) };
    const updated = await db.throttle.updateMany({ where: { key, resetAt: { gt: now } }, data: { count: { increment: 1 } } });
    if (updated.count === 0) await db.throttle.upsert({ where: { key }, create: { key, ...fresh }, update: fresh });
  }
}

export async function clearAttempts(db: Db, keys: string[]): Promise<void> {
  await db.throttle.deleteMany({ where: { key: { in: keys } } });
}
