import { Hono } from "hono";
import type { AppEnv } from "../../../env.js";
import { requireUser, userOf } from "../../../http/auth/middleware.js";
import { can } from "../../../users/authorization.js";
import { endSessions } from "../../../users/sessions.js";
import { answerPerson, personOfUrl } from "./person-page.js";

// POST /admin/users/:id/sessions/end: sign a person out of every device (an admin's own: all but this one).
export const personSessions = new Hono<AppEnv>();
personSessions.use(requireUser(can.manageUsers), personOfUrl);

personSessions.post("/end", async (c) => {
  const { person } = c.var;
  const keep = person.id === userOf(c).id ? c.var.sessionId! : undefined;
  const ended = await endSessions(c.var.deps, person.id, keep);
  return answerPerson(c, c.var.i18n.t("people.signedOutDone", { name: person.name, count: ended }));
});
