import { Hono } from "hono";
import { TagsPage } from "../../../views/admin/tags.js";
import type { AppEnv, Ctx } from "../../env.js";
import { requireUser } from "../../http/auth/middleware.js";
import { setFlash } from "../../http/flash.js";
import { formValues } from "../../http/forms.js";
import { refuseForm, seeOther } from "../../http/htmx.js";
import { parseId } from "../../http/ids.js";
import { normaliseTag, renameTag, tagsInUse } from "../../tags/tags.js";
import { can } from "../../users/authorization.js";

// /admin/tags: every tag with how many tickets carry it; POST /admin/tags/:id renames one, or merges
// it into the tag whose name it is given.
export const adminTags = new Hono<AppEnv>();
adminTags.use(requireUser(can.manageUsers));

const page = async (c: Ctx, refused?: { id: number; value: string; error: string }) => {
  const view = <TagsPage tags={await tagsInUse(c.var.deps)} refused={refused} />;
  const title = c.var.i18n.t("tags.adminTitle");
  return refused ? refuseForm(c, 422, view, title) : c.render(view, { title });
};

adminTags.get("/", (c) => page(c));

adminTags.post("/:id{[0-9]+}", async (c) => {
  const { i18n, deps } = c.var;
  const id = parseId(c.req.param("id"))!;
  const before = (await tagsInUse(deps)).find((t) => t.id === id);
  if (!before) return c.notFound();
  const typed = (await formValues(c)).name ?? "";
  const tag = normaliseTag(typed);
  if ("error" in tag) return page(c, { id, value: typed, error: i18n.t(tag.error) });
  const done = await renameTag(deps, id, tag.name);
  if (!done) return c.notFound();
  setFlash(c, i18n.t(done === "merged" ? "tags.merged" : "tags.renamed", { from: before.name, to: tag.name }));
  return seeOther(c, "/admin/tags");
});
