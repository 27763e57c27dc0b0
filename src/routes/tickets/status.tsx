import { Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "../../env.js";
import { requireUser } from "../../lib/auth/middleware.js";
import { readForm, seenVersion } from "../../lib/forms.js";
import { answerNotice, answerOutcome, staffOnly, ticketOfUrl } from "../../lib/ticket-page.js";
import { setStatus } from "../../tickets/changes.js";
import { STATUSES } from "../../tickets/model.js";
import { msg } from "../../i18n/translate.js";
import { statusLabel } from "../../i18n/words.js";

// POST /tickets/:id/status: staff set any status.
export const status = new Hono<AppEnv>();
status.use(requireUser(), ticketOfUrl, staffOnly);

const statusForm = z.object({
  status: z.enum(STATUSES, { error: msg("change.chooseStatus") }),
  version: seenVersion(),
});

status.post("/", async (c) => {
  const form = await readForm(c, statusForm);
  const { t } = c.var.i18n;
  if (!form.ok) return answerNotice(c, 422, () => t("change.notChanged", { why: form.errors.status ?? "" }));
  const outcome = await setStatus(c.var.deps, c.var.user!, c.var.ticket, form.data.status, form.data.version);
  return answerOutcome(c, outcome, t("change.status", { status: statusLabel(t, form.data.status) }));
});
