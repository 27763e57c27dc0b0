import { Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "../../env.js";
import { requireUser } from "../../lib/auth/middleware.js";
import { readForm, seenVersion } from "../../lib/forms.js";
import { answerNotice, answerOutcome, staffOnly, ticketOfUrl } from "../../lib/ticket-page.js";
import { setPriority } from "../../tickets/changes.js";
import { PRIORITIES } from "../../tickets/model.js";
import { msg } from "../../i18n/translate.js";
import { priorityLabel } from "../../i18n/words.js";

// POST /tickets/:id/priority: staff set the priority.
export const priority = new Hono<AppEnv>();
priority.use(requireUser(), ticketOfUrl, staffOnly);

const priorityForm = z.object({
  priority: z.enum(PRIORITIES, { error: msg("change.choosePriority") }),
  version: seenVersion(),
});

priority.post("/", async (c) => {
  const form = await readForm(c, priorityForm);
  const { t } = c.var.i18n;
  if (!form.ok) return answerNotice(c, 422, () => t("change.notChanged", { why: form.errors.priority ?? "" }));
  const outcome = await setPriority(c.var.deps, c.var.user!, c.var.ticket, form.data.priority, form.data.version);
  return answerOutcome(c, outcome, t("change.priority", { priority: priorityLabel(t, form.data.priority) }));
});
