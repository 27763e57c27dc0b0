import { Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "../../env.js";
import { requireUser, userOf } from "../../http/auth/middleware.js";
import { readForm, seenVersion } from "../../http/forms.js";
import { dbInt } from "../../http/ids.js";
import { setAssignee } from "../../tickets/changes.js";
import { answerNotice, answerOutcome, staffOnly, ticketOfUrl } from "./ticket-page.js";

// POST /tickets/:id/assignee: staff give the ticket to an active agent or admin, or to nobody.
export const assignee = new Hono<AppEnv>();
assignee.use(requireUser(), ticketOfUrl, staffOnly);

const assigneeForm = z.object({ assignee: z.union([z.literal(""), dbInt()]), version: seenVersion() });

assignee.post("/", async (c) => {
  const form = await readForm(c, assigneeForm);
  const { t } = c.var.i18n;
  if (!form.ok) return answerNotice(c, 422, () => t("change.notStaff"));
  const me = userOf(c);
  const to = form.data.assignee === "" ? null : form.data.assignee;
  const result = await setAssignee(c.var.deps, me, c.var.ticket, to, form.data.version);
  if (result.outcome === "not staff") return answerNotice(c, 422, () => t("change.notStaff"));
  const message = !result.assignee
    ? t("change.unassigned")
    : result.assignee.id === me.id
      ? t("change.assignedYou")
      : t("change.assigned", { name: result.assignee.name });
  return answerOutcome(c, result.outcome, message);
});
