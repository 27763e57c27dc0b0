import { Hono } from "hono";
import type { AppEnv } from "../env.js";
import { HomePage } from "../../views/home/index.js";

export const home = new Hono<AppEnv>();

home.get("/", (c) => (c.var.user ? c.redirect("/tickets", 303) : c.render(<HomePage />, { title: "Welcome" })));
