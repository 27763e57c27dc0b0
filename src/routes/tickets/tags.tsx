import { Hono } from "hono";
import type { AppEnv } from "../../env.js";
import { requireUser, userOf } from "../../http/auth/middleware.js";
import { formValues } from "../../http/forms.js";
import { parseId } from "../../http/ids.js";
import { addTag, normaliseTag, removeTag } from "../../tags/tags.js";
import { answerChange, answerNotice, staffOnly, ticketOfUrl } from "./ticket-page.js";

// POST /tickets/:id/tags (name): a tag on the ticket; POST /tickets/:id/tags/:tag/delete: off it.
// Staff only; each is a change with its line in the history (staff's eyes only).
export const tags = new Hono<AppEnv>();
tags.use(requireUser(), ticketOfUrl, staffOnly);

tags.post("/", async (c) => {
  const { t } = c.var.i18n;
  const typed = (await formValues(c)).name ?? "";
  const tag = normaliseTag(typed);
  if ("error" in tag) return answerNotice(c, 422, () => t(tag.error));
  const outcome = await addTag(c.var.deps, userOf(c), c.var.ticket.id, tag.name);
  if (outcome === "full") return answerNotice(c, 422, () => t("tags.full"));
  const message = outcome === "done" ? t("tags.added", { name: tag.name }) : t("tags.already");
  return answerChange(c, message, undefined, "tags");
});

tags.post("/:tag{[0-9]+}/delete", async (c) => {
  const { t } = c.var.i18n;
  const tagId = parseId(c.req.param("tag"))!;
  const name = c.var.ticket.tags.find((x) => x.id === tagId)?.name;
  if (!name) return c.notFound();
  await removeTag(c.var.deps, userOf(c), c.var.ticket.id, tagId);
  return answerChange(c, t("tags.removed", { name }), undefined, "tags");
});
