import { Hono } from "hono";
import { SessionList } from "../../../views/account/index.js";
import type { AppEnv, Ctx } from "../../env.js";
import { requireUser, userOf } from "../../http/auth/middleware.js";
import { done } from "../../http/htmx.js";
import { endOwnSession, endSessions, liveSessions } from "../../users/sessions.js";

// POST /account/sessions/end-others and /account/sessions/:id/end: sign out other devices.
export const sessions = new Hono<AppEnv>();
sessions.use(requireUser());

const answer = (c: Ctx, message: string) =>
  done(c, message, "/account", async () => (
    <SessionList sessions={await liveSessions(c.var.deps, userOf(c).id, c.var.sessionId)} />
  ));

sessions.post("/end-others", async (c) => {
  const ended = await endSessions(c.var.deps, userOf(c).id, c.var.sessionId!);
  return answer(c, c.var.i18n.t("account.endedOthers", { count: ended }));
});

sessions.post("/:id/end", async (c) => {
  const ended = await endOwnSession(c.var.deps, userOf(c).id, c.req.param("id"), c.var.sessionId!);
  return ended ? answer(c, c.var.i18n.t("account.endedOne")) : c.notFound();
});
