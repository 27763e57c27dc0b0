import { Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "../../env.js";
import { requireUser } from "../../lib/auth/middleware.js";
import { readForm, seenVersion } from "../../lib/forms.js";
import { dbInt } from "../../lib/ids.js";
import { answerNotice, answerOutcome, staffOnly, ticketOfUrl } from "../../lib/ticket-page.js";
import { setAssignee } from "../../tickets/changes.js";

// POST /tickets/:id/assignee: staff give the ticket to an active agent or admin, or to nobody.
export const assignee = new Hono<AppEnv>();
assignee.use(requireUser(), ticketOfUrl, staffOnly);

const NOT_STAFF = "Nothing was changed: choose someone who is an active agent or admin.";
const assigneeForm = z.object({ assignee: z.union([z.literal(""), dbInt()]), version: seenVersion() });

assignee.post("/", async (c) => {
  const form = await readForm(c, assigneeForm);
  if (!form.ok) return answerNotice(c, 422, () => NOT_STAFF);
  const me = c.var.user!;
  const to = form.data.assignee === "" ? null : form.data.assignee;
  const result = await setAssignee(c.var.deps, me, c.var.ticket, to, form.data.version);
  if (result.outcome === "not staff") return answerNotice(c, 422, () => NOT_STAFF);
  const who = result.assignee && (result.assignee.id === me.id ? "you" : result.assignee.name);
  return answerOutcome(c, result.outcome, who ? `Assigned to ${who}.` : "The ticket is unassigned.");
});
