import { Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "../../env.js";
import { requireUser } from "../../lib/auth/middleware.js";
import { formValues, readFormWithFiles, text } from "../../lib/forms.js";
import { answerThreadFormErrors, answerThreadPost, ticketOfUrl } from "../../lib/ticket-page.js";
import { can } from "../../lib/authorization.js";
import { renderError } from "../../lib/errors.js";
import { addNote, addReply, setStatus } from "../../tickets/changes.js";
import { findTicket } from "../../tickets/find.js";

// POST /tickets/:id/replies: a public reply, by the requester or staff. From the agents' composer
// also an internal note (kind or as = note), and a reply may set the status with it (Waiting or
// Closed), one step instead of two.
export const replies = new Hono<AppEnv>();
replies.use(requireUser(), ticketOfUrl);

const choice = z.enum(["reply", "note"]).optional().catch(undefined);
const replyForm = z.object({
  body: text(z, "reply", 1, 10_000),
  /** Staff's "Send and set Waiting" / "Send and close": the status after the reply. */
  set_status: z.enum(["Waiting", "Closed"]).optional().catch(undefined),
  /** The composer's choice, and the button's (which wins: it says what it does). */
  kind: choice,
  as: choice,
});
/** The same form when it carries a note: its messages speak of a note. */
const noteForm = replyForm.extend({ body: text(z, "note", 1, 10_000) });

replies.post("/", async (c) => {
  const { deps } = c.var;
  const user = c.var.user!;
  const values = (await formValues(c)) as { kind?: string; as?: string; set_status?: string };
  const note = (values.as ?? values.kind) === "note" && !values.set_status;
  const form = await readFormWithFiles(c, note ? noteForm : replyForm);
  const staff = can.triageTicket(user);
  if (note && !staff)
    return renderError(c, 403, c.var.i18n.t("error.forbiddenTitle"), c.var.i18n.t("error.notesAgentsOnly"));
  if (!form.ok) {
    return answerThreadFormErrors(c, "replies", form.values.body, form.errors, note);
  }
  const extra = { files: form.data.files };
  if (note) {
    const { replyId } = await addNote(deps, user, c.var.ticket, form.data.body, extra);
    return answerThreadPost(c, "replies", replyId, c.var.i18n.t("change.noteAddedOnly"));
  }
  const { replyId, reopened } = await addReply(deps, user, c.var.ticket, form.data.body, extra);
  const { t } = c.var.i18n;
  let message = reopened ? t("change.replyReopened") : t("change.replySent");
  const then = form.data.set_status;
  if (then && replyId !== null && staff) {
    const now = (await findTicket(deps, user, c.var.ticket.id))!;
    if ((await setStatus(deps, user, now, then)) === "done")
      message = then === "Closed" ? t("change.replyClosed") : t("change.replyWaiting");
  }
  return answerThreadPost(c, "replies", replyId, message);
});
