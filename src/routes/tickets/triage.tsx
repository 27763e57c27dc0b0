import { Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "../../env.js";
import { requireUser, userOf } from "../../http/auth/middleware.js";
import { readForm, seenVersion } from "../../http/forms.js";
import { dbInt } from "../../http/ids.js";
import { msg } from "../../i18n/translate.js";
import { priorityLabel, statusLabel } from "../../i18n/words.js";
import { changeFields } from "../../tickets/changes.js";
import { PRIORITIES } from "../../tickets/model.js";
import { answerNotice, answerOutcome, staffOnly, ticketOfUrl } from "./ticket-page.js";

// POST /tickets/:id/triage: the agents' one triage form: status, priority and assignee in one
// save (one page load without JavaScript), one history event per field that changed.
export const triageRoute = new Hono<AppEnv>();
triageRoute.use(requireUser(), ticketOfUrl, staffOnly);

const triageForm = z.object({
  /** One of the desk's statuses: checked against them below (they are the desk's, not the code's). */
  status: z.string({ error: msg("change.chooseStatus") }).max(40, msg("change.chooseStatus")),
  priority: z.enum(PRIORITIES, { error: msg("change.choosePriority") }),
  assignee: z.union([z.literal(""), dbInt()], { error: msg("change.chooseAssignee") }),
  version: seenVersion(),
});

triageRoute.post("/", async (c) => {
  const form = await readForm(c, triageForm);
  const { t } = c.var.i18n;
  const refuse = (why: string) => answerNotice(c, 422, () => t("change.notChanged", { why }));
  if (!form.ok) return refuse(Object.values(form.errors).join(" "));
  if (!c.var.statuses.has(form.data.status)) return refuse(t("change.chooseStatus"));
  const me = userOf(c);
  const { status, priority, assignee, version } = form.data;
  const wanted = { status, priority, assigneeId: assignee === "" ? null : assignee };
  const result = await changeFields(c.var.deps, me, c.var.ticket, wanted, version);
  if (result.outcome === "not staff") return answerNotice(c, 422, () => t("change.notStaff"));
  const parts: string[] = [];
  if (result.changed.includes("status")) parts.push(t("change.savedStatus", { status: statusLabel(t, status) }));
  if (result.changed.includes("priority"))
    parts.push(t("change.savedPriority", { priority: priorityLabel(t, priority) }));
  if (result.changed.includes("assignee"))
    parts.push(
      !result.assignee
        ? t("change.savedUnassigned")
        : result.assignee.id === me.id
          ? t("change.savedAssignedYou")
          : t("change.savedAssigned", { name: result.assignee.name }),
    );
  // The parts are listed the language's way ("status Closed, priority High, assigned to you").
  return answerOutcome(c, result.outcome, t("change.saved", { changes: c.var.i18n.list(parts) }), undefined, "triage");
});
