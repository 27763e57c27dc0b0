import { Hono } from "hono";
import { HomePage } from "../../views/home/index.js";
import type { AppEnv } from "../env.js";
import { homeOf } from "../users/authorization.js";

export const home = new Hono<AppEnv>();

home.get("/", (c) => {
  if (c.var.user) return c.redirect(homeOf(c.var.user), 303);
  // A guest who finished (their cookies cleared, so no flash cookie): said in the message area.
  if (c.req.query("finished") !== undefined) c.set("flash", c.var.i18n.t("guest.finished"));
  return c.render(<HomePage guests={c.var.deps.config.guests.enabled} />, { title: c.var.i18n.t("home.title") });
});
