import { Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "../../env.js";
import { requireUser } from "../../lib/auth/middleware.js";
import { readForm, text } from "../../lib/forms.js";
import { answerThreadFormErrors, answerThreadPost, ticketOfUrl } from "../../lib/ticket-page.js";
import { can } from "../../lib/authorization.js";
import { addReply, setStatus } from "../../tickets/changes.js";
import { findTicket } from "../../tickets/find.js";

// POST /tickets/:id/replies: a public reply, by the requester or staff; staff may set the status
// with it (Waiting or Closed), one step instead of two.
export const replies = new Hono<AppEnv>();
replies.use(requireUser(), ticketOfUrl);

const replyForm = z.object({
  body: text(z, "a reply", 1, 10_000),
  /** Staff's "Send and set Waiting" / "Send and close": the status after the reply. */
  set_status: z.enum(["Waiting", "Closed"]).optional().catch(undefined),
});

replies.post("/", async (c) => {
  const { deps } = c.var;
  const user = c.var.user!;
  const form = await readForm(c, replyForm);
  if (!form.ok) return answerThreadFormErrors(c, "replies", form.values.body, form.errors);
  const { replyId, reopened } = await addReply(deps, user, c.var.ticket, form.data.body);
  let message = reopened ? "Reply sent. The ticket is open again." : "Reply sent.";
  const then = form.data.set_status;
  if (then && replyId !== null && can.triageTicket(user)) {
    const now = (await findTicket(deps, user, c.var.ticket.id))!;
    if ((await setStatus(deps, user, now, then)) === "done")
      message =
        then === "Closed" ? "Reply sent and the ticket closed." : "Reply sent. The ticket waits for the requester.";
  }
  return answerThreadPost(c, "replies", replyId, message);
});
