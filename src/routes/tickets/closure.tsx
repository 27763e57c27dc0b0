import { Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "../../env.js";
import { requireUser, userOf } from "../../http/auth/middleware.js";
import { readForm, seenVersion } from "../../http/forms.js";
import { statusLabel } from "../../i18n/words.js";
import { closeTicket, reopenTicket } from "../../tickets/changes.js";
import { answerOutcome, ticketOfUrl } from "./ticket-page.js";

// POST /tickets/:id/close and /tickets/:id/reopen: the requester on their own ticket, or staff.
// Two plain POST URLs rather than create/delete of a "closure": HTML forms cannot send DELETE, and
// the URL reads as the button does.
// Mounted at /tickets/:id itself, so its guards go on its two routes, not on everything below.
export const closure = new Hono<AppEnv>();

const versionForm = z.object({ version: seenVersion() });

closure.post("/close", requireUser(), ticketOfUrl, async (c) => {
  const { ticket } = c.var;
  const form = await readForm(c, versionForm);
  const outcome = await closeTicket(c.var.deps, userOf(c), ticket, form.ok ? form.data.version : undefined);
  const { t } = c.var.i18n;
  const message = t("change.closed", { id: ticket.id });
  // The keyboard stays in place: on Reopen, which takes Close's place.
  return answerOutcome(c, outcome, message, t("change.alreadyClosed", { id: ticket.id }), "reopen");
});

closure.post("/reopen", requireUser(), ticketOfUrl, async (c) => {
  const { ticket } = c.var;
  const form = await readForm(c, versionForm);
  const outcome = await reopenTicket(c.var.deps, userOf(c), ticket, form.ok ? form.data.version : undefined);
  const { t } = c.var.i18n;
  const already = t("change.alreadyOpen", { id: ticket.id, status: statusLabel(t, ticket.status).toLowerCase() });
  return answerOutcome(c, outcome, t("change.reopened", { id: ticket.id }), already, "close");
});
