import { Hono } from "hono";
import { StatusesPage, type StatusRefusal } from "../../../views/admin/statuses.js";
import type { AppEnv, Ctx } from "../../env.js";
import { requireUser } from "../../http/auth/middleware.js";
import { setFlash } from "../../http/flash.js";
import { formValues } from "../../http/forms.js";
import { refuseForm, respond, seeOther } from "../../http/htmx.js";
import { parseId } from "../../http/ids.js";
import { addStatus, KINDS, type Kind, removeStatus, renameStatus, statusesInUse } from "../../tickets/statuses.js";
import { can } from "../../users/authorization.js";

// /admin/statuses: the four built-in statuses and the desk's own, by kind, with how many tickets
// have each; POST adds one, POST /:id renames one (on its tickets too), POST /:id/delete removes one
// no ticket has (409 with how many do, otherwise).
export const adminStatuses = new Hono<AppEnv>();
adminStatuses.use(requireUser(can.manageUsers));

const page = async (c: Ctx, refused?: StatusRefusal, status: 409 | 422 = 422) => {
  const view = <StatusesPage statuses={await statusesInUse(c.var.deps)} refused={refused} />;
  const title = c.var.i18n.t("statuses.title");
  if (!refused) return c.render(view, { title });
  if (status === 409) {
    c.status(409);
    return respond(c, view, title);
  }
  return refuseForm(c, 422, view, title);
};

adminStatuses.get("/", (c) => page(c));

adminStatuses.post("/", async (c) => {
  const { i18n, deps } = c.var;
  const values = await formValues(c);
  const typed = values.name ?? "";
  const kind = values.kind ?? "";
  if (!KINDS.includes(kind as Kind))
    return page(c, { id: "new", value: typed, error: i18n.t("statuses.chooseKind"), field: "kind" });
  const added = await addStatus(deps, typed, kind as Kind);
  if ("error" in added) return page(c, { id: "new", value: typed, kind, error: i18n.t(added.error), field: "name" });
  setFlash(c, i18n.t("statuses.added", { name: added.name }));
  return seeOther(c, "/admin/statuses");
});

adminStatuses.post("/:id{[0-9]+}", async (c) => {
  const { i18n, deps } = c.var;
  const id = parseId(c.req.param("id"));
  const typed = (await formValues(c)).name ?? "";
  const done = id && (await renameStatus(deps, id, typed));
  if (!done) return c.notFound();
  if ("error" in done) return page(c, { id: id!, value: typed, error: i18n.t(done.error), field: "name" });
  setFlash(c, i18n.t("statuses.renamed", done));
  return seeOther(c, "/admin/statuses");
});

adminStatuses.post("/:id{[0-9]+}/delete", async (c) => {
  const { i18n, deps } = c.var;
  const id = parseId(c.req.param("id"));
  const done = id && (await removeStatus(deps, id));
  if (!done) return c.notFound();
  if ("inUse" in done) {
    const error = i18n.t("statuses.inUse", { name: done.name, count: done.inUse });
    return page(c, { id: id!, value: done.name, error, field: "name" }, 409);
  }
  setFlash(c, i18n.t("statuses.removed", { name: done.removed }));
  return seeOther(c, "/admin/statuses");
});
