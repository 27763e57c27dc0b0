import { Hono } from "hono";
import { z } from "zod";
import type { AppEnv, Ctx } from "../../env.js";
import { requireUser, userOf } from "../../http/auth/middleware.js";
import { renderError } from "../../http/errors.js";
import { setFlash } from "../../http/flash.js";
import { formValues, readFormWithFiles, seenMark, text } from "../../http/forms.js";
import { seeOther } from "../../http/htmx.js";
import { lastList } from "../../http/last-list.js";
import { filtersOfView } from "../../http/queue-view.js";
import { ticketAfter } from "../../tickets/list.js";
import { addNote, addReply } from "../../tickets/thread.js";
import { can } from "../../users/authorization.js";
import { answerHeld, answerThreadFormErrors, answerThreadPost, ticketOfUrl } from "./ticket-page.js";

// POST /tickets/:id/replies: a public reply, by the requester or staff. From the agents' composer
// also an internal note (kind or as = note), and a reply may set the status with it (Waiting or
// Closed): one change, one email.
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
  /** "Send and next": after sending, the next ticket of the queue view the agent came from. */
  after: z.literal("next").optional().catch(undefined),
  /** The last history event the form's page showed: a public reply is held if others did something since. */
  seen: seenMark(),
});
/** The same form when it carries a note: its messages speak of a note. */
const noteForm = replyForm.extend({ body: text(z, "note", 1, 10_000) });

replies.post("/", async (c) => {
  const { deps } = c.var;
  const user = userOf(c);
  const values = (await formValues(c)) as { kind?: string; as?: string; set_status?: string };
  const note = (values.as ?? values.kind) === "note" && !values.set_status;
  const form = await readFormWithFiles(c, note ? noteForm : replyForm);
  const staff = can.triageTicket(user);
  const { t } = c.var.i18n;
  if (note && !staff) return renderError(c, 403, t("error.forbiddenTitle"), t("error.notesAgentsOnly"));
  if (!form.ok)
    return answerThreadFormErrors(c, form.values.body, form.errors, note, seenMark().parse(form.values.seen));
  const { body, files, seen } = form.data;
  if (note) {
    const { replyId } = await addNote(deps, user, c.var.ticket, body, { files });
    return answerThreadPost(c, replyId, t("change.noteAddedOnly"), seen);
  }
  // Only staff set a status with a reply; a requester's reply moves the ticket by the desk's rules.
  const setStatus = staff ? form.data.set_status : undefined;
  const posted = await addReply(deps, user, c.var.ticket, body, { files, setStatus, seen });
  // Someone else answered or changed the ticket since this form's page: nothing sent, the text kept.
  if (posted.collided) return answerHeld(c, body, seen!, pressed(form.data), files.length > 0);
  const { replyId, status, reopened } = posted;
  const message = reopened
    ? t("change.replyReopened")
    : setStatus && status === setStatus
      ? t(setStatus === "Closed" ? "change.replyClosed" : "change.replyWaiting")
      : t("change.replySent");
  if (form.data.after === "next" && staff) return nextInView(c, message);
  return answerThreadPost(c, replyId, message, seen);
});

/** The button a held reply was sent with, so "Send anyway" does what it would have done. */
function pressed(data: { set_status?: string; after?: string }): [string, string] {
  if (data.set_status) return ["set_status", data.set_status];
  if (data.after) return ["after", data.after];
  return ["as", "reply"];
}

/** After "Send and next": the next ticket of the queue view the agent came from, or that view at its end. */
async function nextInView(c: Ctx, sent: string) {
  const { t } = c.var.i18n;
  const view = lastList(c);
  const filters = filtersOfView(view, userOf(c).id, c.var.deps.clock.now(), c.var.statuses);
  const next = filters && (await ticketAfter(c.var.deps, filters, c.var.ticket));
  setFlash(c, next ? t("change.sentNext", { sent, id: next }) : t("change.sentLast", { sent }));
  return seeOther(c, next ? `/tickets/${next}` : view);
}
