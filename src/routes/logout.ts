import { Hono } from "hono";
import type { AppEnv } from "../env.js";
import { removeAuthCookie } from "../http/auth/cookie.js";
import { wholePage } from "../http/htmx.js";
import { logoutUser } from "../users/sessions.js";

// POST /logout: ends the session on the server and wipes what this browser kept of it.
export const logout = new Hono<AppEnv>();

logout.post("/", async (c) => {
  if (c.var.sessionId) await logoutUser(c.var.deps, c.var.sessionId);
  removeAuthCookie(c);
  // On a kiosk, Back must show nothing private.
  c.header("Clear-Site-Data", '"cache", "cookies", "storage"');
  // Said on the sign-in page (a flash cookie would go with Clear-Site-Data).
  return wholePage(c, "/login?signed-out");
});
