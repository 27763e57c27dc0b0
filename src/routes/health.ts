import { Hono } from "hono";
import type { AppEnv } from "../env.js";

// GET /healthz and /readyz: for load balancers and orchestrators.
export const health = new Hono<AppEnv>();

/** Alive: answers without touching the database. */
health.get("/healthz", (c) => c.text("ok"));

/** How long a write may wait before the instance calls itself not ready. */
const WRITE_CHECK_MS = 2000;

/**
 * Ready for traffic: not shutting down, and the database takes a write within two seconds, or
 * SQLite's busy timeout (a
 * database that reads but whose writes wait on a lock cannot serve a helpdesk). The write changes
 * nothing: it takes the write lock (SQLite) or a row lock (PostgreSQL) and lets go.
 */
health.get("/readyz", async (c) => {
  const { db, state } = c.var.deps;
  c.header("Cache-Control", "no-store");
  if (state.draining) return c.text("shutting down", 503);
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<"late">((resolve) => {
    timer = setTimeout(() => resolve("late"), WRITE_CHECK_MS);
  });
  const write = db.setting
    .updateMany({ where: { key: "readyz" }, data: { value: "" } })
    .then(() => "ok" as const)
    // SQLite's driver is synchronous: a locked file holds the process for the busy timeout and
    // then fails with "database is locked", so the timer cannot win there; say the same thing.
    .catch((error: { code?: string }) => (error.code === "P1008" ? ("late" as const) : ("failed" as const)));
  const result = await Promise.race([write, late]);
  clearTimeout(timer);
  if (result === "ok") return c.text("ready");
  return c.text(result === "late" ? "database writes are waiting on a lock" : "database unavailable", 503);
});
