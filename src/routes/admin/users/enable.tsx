import { Hono } from "hono";
import type { AppEnv } from "../../../env.js";
import { requireUser } from "../../../http/auth/middleware.js";
import { enablePerson } from "../../../users/admins.js";
import { can } from "../../../users/authorization.js";
import { answerPerson, personOfUrl } from "./person-page.js";

// POST /admin/users/:id/enable: a disabled account may sign in again.
export const enable = new Hono<AppEnv>();
enable.use(requireUser(can.manageUsers), personOfUrl);

enable.post("/", async (c) => {
  await enablePerson(c.var.deps, c.var.person.id);
  return answerPerson(c, c.var.i18n.t("people.enabledDone", { name: c.var.person.name }));
});
