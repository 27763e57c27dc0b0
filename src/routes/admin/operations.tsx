import { Hono } from "hono";
import { OperationsPage } from "../../../views/admin/operations.js";
import type { AppEnv } from "../../env.js";
import { requireUser } from "../../http/auth/middleware.js";
import { operationsOf } from "../../operations.js";
import { can } from "../../users/authorization.js";

// GET /admin/operations: what the desk runs with (version, database, mail in and out, sessions,
// disk), the figures /metrics gives a monitoring system, for an admin to read.
export const adminOperations = new Hono<AppEnv>();
adminOperations.use(requireUser(can.manageUsers));

adminOperations.get("/", async (c) =>
  c.render(<OperationsPage ops={await operationsOf(c.var.deps)} metrics={c.var.deps.config.metrics} />, {
    title: c.var.i18n.t("ops.title"),
  }),
);
