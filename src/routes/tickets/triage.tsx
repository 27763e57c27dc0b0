import { Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "../../env.js";
import { requireUser } from "../../lib/auth/middleware.js";
import { readForm, seenVersion } from "../../lib/forms.js";
import { dbInt } from "../../lib/ids.js";
import { answerNotice, answerOutcome, staffOnly, ticketOfUrl } from "../../lib/ticket-page.js";
import { triage } from "../../tickets/changes.js";
import { PRIORITIES, STATUSES } from "../../tickets/model.js";

// POST /tickets/:id/triage: the agents' one triage form: status, priority and assignee in one
// save (one page load without JavaScript), one history event per field that changed.
export const triageRoute = new Hono<AppEnv>();
triageRoute.use(requireUser(), ticketOfUrl, staffOnly);

const triageForm = z.object({
  status: z.enum(STATUSES, { error: "Choose a status." }),
  priority: z.enum(PRIORITIES, { error: "Choose a priority." }),
  assignee: z.union([z.literal(""), dbInt()], { error: "Choose someone who is an active agent or admin." }),
  version: seenVersion(),
});

triageRoute.post("/", async (c) => {
  const form = await readForm(c, triageForm);
  if (!form.ok) {
    const why = Object.values(form.errors).join(" ");
    return answerNotice(c, 422, () => `Nothing was changed: ${why}`);
  }
  const me = c.var.user!;
  const { status, priority, assignee, version } = form.data;
  const wanted = { status, priority, assigneeId: assignee === "" ? null : assignee };
  const result = await triage(c.var.deps, me, c.var.ticket, wanted, version);
  if (result.outcome === "not staff")
    return answerNotice(c, 422, () => "Nothing was changed: choose someone who is an active agent or admin.");
  const parts: string[] = [];
  if (result.changed.includes("status")) parts.push(`status ${status}`);
  if (result.changed.includes("priority")) parts.push(`priority ${priority}`);
  if (result.changed.includes("assignee"))
    parts.push(
      result.assignee ? `assigned to ${result.assignee.id === me.id ? "you" : result.assignee.name}` : "unassigned",
    );
  return answerOutcome(c, result.outcome, `Saved: ${parts.join(", ")}.`, undefined, "triage");
});
