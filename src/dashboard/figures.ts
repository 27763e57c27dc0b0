import { DateTime } from "luxon";
import type { Deps } from "../env.js";
import { statusesOf } from "../tickets/statuses.js";

export type Day = { date: string; opened: number; closed: number };

/** Open, overdue and at-risk tickets by priority, the oldest open ticket, and tickets opened and closed on each of the last seven days. */
export async function dashboardFigures(deps: Deps) {
  const { db, clock, config } = deps;
  const now = clock.now().getTime();
  // The last seven calendar days of the desk's time zone, today last, and the instants of the local
  // midnights that bound them (a day of a daylight-saving change is 23 or 25 hours long).
  const today = DateTime.fromMillis(now, { zone: config.timeZone }).startOf("day");
  const starts = Array.from({ length: 8 }, (_, i) => today.minus({ days: 6 - i }).startOf("day"));
  const dates = starts.slice(0, 7).map((d) => d.toISODate()!);
  const bounds = starts.map((d) => d.toJSDate());
  const notClosed = { status: { notIn: (await statusesOf(deps)).ofKind("closed") } };
  const at = new Date(now);
  // Each day's count is an index range (createdAt, closedAt): no ticket is read, however busy the week.
  const perDay = (field: "createdAt" | "closedAt") =>
    Promise.all(dates.map((_, i) => db.ticket.count({ where: { [field]: { gte: bounds[i], lt: bounds[i + 1] } } })));
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
    perDay("createdAt"),
    perDay("closedAt"),
  ]);
  const days: Day[] = dates.map((date, i) => ({ date, opened: opened[i]!, closed: closed[i]! }));
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
