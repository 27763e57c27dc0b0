import { Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "../../env.js";
import { requireUser } from "../../lib/auth/middleware.js";
import { readFormWithFiles, text } from "../../lib/forms.js";
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
  body: text(z, "a reply", 1, 10_000),
  /** Staff's "Send and set Waiting" / "Send and close": the status after the reply. */
  set_status: z.enum(["Waiting", "Closed"]).optional().catch(undefined),
  /** The composer's choice, and the button's (which wins: it says what it does). */
  kind: choice,
  as: choice,
});

replies.post("/", async (c) => {
  const { deps } = c.var;
  const user = c.var.user!;
  const form = await readFormWithFiles(c, replyForm);
  const staff = can.triageTicket(user);
  const values = form.values as { kind?: string; as?: string; set_status?: string };
  const note = (values.as ?? values.kind) === "note" && !values.set_status;
  if (note && !staff) return renderError(c, 403, "Not allowed", "Only agents can add internal notes.");
  if (!form.ok) {
    const errors = note ? { ...form.errors, body: form.errors.body?.replace("a reply", "a note") } : form.errors;
    return answerThreadFormErrors(c, "replies", form.values.body, errors as typeof form.errors, note);
  }
  const extra = { files: form.data.files };
  if (note) {
    const { replyId } = await addNote(deps, user, c.var.ticket, form.data.body, extra);
    return answerThreadPost(c, "replies", replyId, "Internal note added. Only agents see it.");
  }
  const { replyId, reopened } = await addReply(deps, user, c.var.ticket, form.data.body, extra);
  let message = reopened ? "Reply sent. The ticket is open again." : "Reply sent.";
  const then = form.data.set_status;
  if (then && replyId !== null && staff) {
    const now = (await findTicket(deps, user, c.var.ticket.id))!;
    if ((await setStatus(deps, user, now, then)) === "done")
      message =
        then === "Closed" ? "Reply sent and the ticket closed." : "Reply sent. The ticket waits for the requester.";
  }
  return answerThreadPost(c, "replies", replyId, message);
});
