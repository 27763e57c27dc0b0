import { Hono } from "hono";
import type { AppEnv } from "../env.js";
import { homeOf } from "../lib/authorization.js";
import { HomePage } from "../../views/home/index.js";

export const home = new Hono<AppEnv>();

home.get("/", (c) =>
  c.var.user
    ? c.redirect(homeOf(c.var.user), 303)
    : c.render(<HomePage guests={c.var.deps.config.guests.enabled} />, { title: "Welcome" }),
);
