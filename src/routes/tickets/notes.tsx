import { Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "../../env.js";
import { requireUser } from "../../lib/auth/middleware.js";
import { readFormWithFiles, text } from "../../lib/forms.js";
import { answerThreadFormErrors, answerThreadPost, staffOnly, ticketOfUrl } from "../../lib/ticket-page.js";
import { addNote } from "../../tickets/changes.js";

// POST /tickets/:id/notes: an internal note, seen by staff only.
export const notes = new Hono<AppEnv>();
notes.use(requireUser(), ticketOfUrl, staffOnly);

const noteForm = z.object({ note: text(z, "note", 1, 10_000) });

notes.post("/", async (c) => {
  const form = await readFormWithFiles(c, noteForm);
  if (!form.ok) return answerThreadFormErrors(c, "notes", form.values.note, form.errors);
  const { note, files } = form.data;
  const { replyId } = await addNote(c.var.deps, c.var.user!, c.var.ticket, note, { files });
  return answerThreadPost(c, "notes", replyId, c.var.i18n.t("change.noteAdded"));
});
