import { Hono } from "hono";
import type { AppEnv } from "../env.js";

export const health = new Hono<AppEnv>();

/** Alive: answers without touching the database. */
health.get("/healthz", (c) => c.text("ok"));

/** Ready for traffic: the database answers and the process is not shutting down. */
health.get("/readyz", async (c) => {
  const { db, state } = c.var.deps;
  c.header("Cache-Control", "no-store");
  if (state.draining) return c.text("shutting down", 503);
  try {
    await db.$queryRaw`SELECT 1`;
    return c.text("ready");
  } catch {
    return c.text("database unavailable", 503);
  }
});
