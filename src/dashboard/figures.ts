import type { Deps } from "../env.js";
import { dayOf } from "../i18n/time.js";
import { statusesOf } from "../tickets/statuses.js";

const DAY = 86_400_000;
export type Day = { date: string; opened: number; closed: number };

/** Open, overdue and at-risk tickets by priority, the oldest open ticket, and tickets opened and closed on each of the last seven days. */
export async function dashboardFigures(deps: Deps) {
  const { db, clock, config } = deps;
  const now = clock.now().getTime();
  // The last seven calendar days of the desk's time zone, today last: calendar arithmetic on the
  // date alone (no daylight saving in it). Rows come from a day earlier and count by local day.
  const today = Date.parse(`${dayOf(new Date(now), config.timeZone)}T00:00:00Z`);
  const dates = Array.from({ length: 7 }, (_, i) => new Date(today - (6 - i) * DAY).toISOString().slice(0, 10));
  const since = new Date(now - 8 * DAY);
  const notClosed = { status: { notIn: (await statusesOf(deps)).ofKind("closed") } };
  const at = new Date(now);
  const [byPriority, overdue, atRisk, oldest, opened, closed] = await Promise.all([
    db.ticket.groupBy({ by: ["priority"], where: notClosed, _count: { _all: true } }),
    // Read from the stored due times (sla/due.ts), as the queue's filters read them.
    db.ticket.groupBy({ by: ["priority"], where: { nextDueAt: { lte: at } }, _count: { _all: true } }),
    db.ticket.groupBy({
      by: ["priority"],
      where: { nextRiskAt: { lte: at }, nextDueAt: { gt: at } },
      _count: { _all: true },
    }),
    db.ticket.findFirst({
      where: notClosed,
      orderBy: { id: "asc" },
      select: { id: true, subject: true, createdAt: true, status: true },
    }),
    db.ticket.findMany({ where: { createdAt: { gte: since } }, select: { createdAt: true } }),
    db.ticket.findMany({ where: { closedAt: { gte: since } }, select: { closedAt: true } }),
  ]);
  const days: Day[] = dates.map((date) => ({ date, opened: 0, closed: 0 }));
  const byDate = new Map(days.map((d) => [d.date, d]));
  for (const t of opened) {
    const day = byDate.get(dayOf(t.createdAt, config.timeZone));
    if (day) day.opened++;
  }
  for (const t of closed) {
    const day = t.closedAt && byDate.get(dayOf(t.closedAt, config.timeZone));
    if (day) day.closed++;
  }
  const perPriority = (groups: { priority: string; _count: { _all: number } }[]) =>
    Object.fromEntries(groups.map((g) => [g.priority, g._count._all]));
  return {
    openByPriority: perPriority(byPriority),
    overdueByPriority: perPriority(overdue),
    atRiskByPriority: perPriority(atRisk),
    oldest,
    days,
  };
}
