import { Hono } from "hono";
import type { AppEnv } from "../env.js";
import { can } from "../lib/authorization.js";
import { requireUser } from "../lib/auth/middleware.js";
import { dayOf } from "../lib/time.js";
import { DashboardPage, type Day } from "../../views/dashboard/index.js";

export const dashboard = new Hono<AppEnv>();
dashboard.use("/dashboard", requireUser(can.useQueue));

const DAY = 86_400_000;

dashboard.get("/dashboard", async (c) => {
  const { db, clock, config } = c.var.deps;
  const now = clock.now().getTime();
  // The last seven calendar days of the desk's time zone, today last: calendar arithmetic on the
  // date alone (no daylight saving in it). Rows come from a day earlier and count by local day.
  const today = Date.parse(`${dayOf(new Date(now), config.timeZone)}T00:00:00Z`);
  const dates = Array.from({ length: 7 }, (_, i) => new Date(today - (6 - i) * DAY).toISOString().slice(0, 10));
  const since = new Date(now - 8 * DAY);
  const [byPriority, oldest, opened, closed] = await Promise.all([
    db.ticket.groupBy({ by: ["priority"], where: { status: { not: "Closed" } }, _count: { _all: true } }),
    db.ticket.findFirst({
      where: { status: { not: "Closed" } },
      orderBy: { id: "asc" },
      select: { id: true, subject: true, createdAt: true, status: true },
    }),
    db.ticket.findMany({ where: { createdAt: { gte: since } }, select: { createdAt: true } }),
    db.ticket.findMany({ where: { closedAt: { gte: since } }, select: { closedAt: true } }),
  ]);
  const days: Day[] = dates.map((date) => ({ date, opened: 0, closed: 0 }));
  const byDate = new Map(days.map((d) => [d.date, d]));
  const bucket = (d: Date) => byDate.get(dayOf(d, config.timeZone));
  for (const t of opened) {
    const day = bucket(t.createdAt);
    if (day) day.opened++;
  }
  for (const t of closed) {
    const day = t.closedAt && bucket(t.closedAt);
    if (day) day.closed++;
  }
  const openByPriority = Object.fromEntries(byPriority.map((g) => [g.priority, g._count._all]));
  return c.render(<DashboardPage openByPriority={openByPriority} oldest={oldest} days={days} />, {
    title: "Dashboard",
  });
});
