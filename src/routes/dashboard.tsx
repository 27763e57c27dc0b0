import { Hono } from "hono";
import { DashboardPage } from "../../views/dashboard/index.js";
import { dashboardFigures } from "../dashboard/figures.js";
import type { AppEnv } from "../env.js";
import { requireUser } from "../http/auth/middleware.js";
import { can } from "../users/authorization.js";

// GET /dashboard: the desk's figures for agents.
export const dashboard = new Hono<AppEnv>();
dashboard.use(requireUser(can.useQueue));

dashboard.get("/", async (c) => {
  const figures = await dashboardFigures(c.var.deps);
  return c.render(<DashboardPage {...figures} />, { title: c.var.i18n.t("dash.title") });
});
