import { Hono } from "hono";
import type { AppEnv } from "../env.js";
import { can } from "../lib/authorization.js";
import { requireUser } from "../lib/auth/middleware.js";
import { DashboardPage, type Day } from "../../views/dashboard/index.js";

export const dashboard = new Hono<AppEnv>();
dashboard.use("/dashboard", requireUser(can.useQueue));

const DAY = 86_400_000;

dashboard.get("/dashboard", async (c) => {
  const { db, clock } = c.var.deps;
  const today = new Date(Math.floor(clock.now().getTime() / DAY) * DAY);
  const since = new Date(today.getTime() - 6 * DAY);
  const [byPriority, oldest, opened, closed] = await Promise.all([
    db.ticket.groupBy({ by: ["priority"], where: { status: { not: "Closed" } }, _count: { _all: true } }),
    db.ticket.findFirst({ where: { status: { not: "Closed" } }, orderBy: { id: "asc" }, select: { id: true, subject: true, createdAt: true, status: true } }),
    db.ticket.findMany({ where: { createdAt: { gte: since } }, select: { createdAt: true } }),
    db.ticket.findMany({ where: { closedAt: { gte: since } }, select: { closedAt: true } }),
  ]);
  const days: Day[] = Array.from({ length: 7 }, (_, i) => ({ date: new Date(since.getTime() + i * DAY).toISOString().slice(0, 10), opened: 0, closed: 0 }));
  const bucket = (d: Date) => days[Math.floor((d.getTime() - since.getTime()) / DAY)];
  for (const t of opened) {
    const day = bucket(t.createdAt);
    if (day) day.opened++;
  }
  for (const t of closed) {
    const day = t.closedAt && bucket(t.closedAt);
    if (day) day.closed++;
  }
  const openByPriority = Object.fromEntries(byPriority.map((g) => [g.priority, g._count._all]));
  return c.render(<DashboardPage openByPriority={openByPriority} oldest={oldest} days={days} />, { title: "Dashboard" });
});
