import { Hono } from "hono";
import { DashboardPage } from "../../views/dashboard/index.js";
import { dashboardFigures } from "../dashboard/figures.js";
import type { AppEnv } from "../env.js";
import { requireUser } from "../http/auth/middleware.js";
import { surveyFigures, surveyOn } from "../survey/survey.js";
import { can } from "../users/authorization.js";

// GET /dashboard: the desk's figures for agents.
export const dashboard = new Hono<AppEnv>();
dashboard.use(requireUser(can.useQueue));

dashboard.get("/", async (c) => {
  const { deps } = c.var;
  const [figures, survey] = await Promise.all([
    dashboardFigures(deps),
    surveyOn(deps).then((on) => (on ? surveyFigures(deps) : undefined)),
  ]);
  return c.render(<DashboardPage {...figures} survey={survey} />, { title: c.var.i18n.t("dash.title") });
});
