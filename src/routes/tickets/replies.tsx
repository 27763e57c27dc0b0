import { Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "../../env.js";
import { requireUser } from "../../lib/auth/middleware.js";
import { readForm, text } from "../../lib/forms.js";
import { answerThreadFormErrors, answerThreadPost, ticketOfUrl } from "../../lib/ticket-page.js";
import { addReply } from "../../tickets/changes.js";

// POST /tickets/:id/replies: a public reply, by the requester or staff.
export const replies = new Hono<AppEnv>();
replies.use(requireUser(), ticketOfUrl);

const replyForm = z.object({ body: text(z, "a reply", 1, 10_000) });

replies.post("/", async (c) => {
  const form = await readForm(c, replyForm);
  if (!form.ok) return answerThreadFormErrors(c, "replies", form.values.body, form.errors);
  const { replyId, reopened } = await addReply(c.var.deps, c.var.user!, c.var.ticket, form.data.body);
  return answerThreadPost(c, "replies", replyId, reopened ? "Reply sent. The ticket is open again." : "Reply sent.");
});
