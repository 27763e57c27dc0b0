import { Hono } from "hono";
import { z } from "zod";
import { CannedFormPage, CannedListPage } from "../../views/canned/index.js";
import { cannedFor, deleteCanned, mayEdit, saveCanned, unknownPlaceholders, usableCanned } from "../canned/replies.js";
import type { AppEnv, Ctx } from "../env.js";
import { requireUser, userOf } from "../http/auth/middleware.js";
import { renderError } from "../http/errors.js";
import { setFlash } from "../http/flash.js";
import { readForm, searchText } from "../http/forms.js";
import { refuseForm, seeOther } from "../http/htmx.js";
import { parseId } from "../http/ids.js";
import { msg } from "../i18n/translate.js";
import { can, isAdmin } from "../users/authorization.js";

// /canned: the canned replies an agent may use (the shared ones and their own), searchable by
// title; /canned/new and /canned/:id to write one; /canned/:id/delete. Requesters never reach them.
export const canned = new Hono<AppEnv>();
canned.use(requireUser(can.useQueue));

const cannedForm = z.object({
  title: z.string().trim().min(1, msg("canned.titleMissing")).max(100, msg("canned.titleLong")),
  body: z
    .string()
    .trim()
    .min(1, msg("canned.bodyMissing"))
    .max(10_000, msg("canned.bodyLong"))
    .superRefine((body, ctx) => {
      const names = unknownPlaceholders(body);
      if (names.length)
        ctx.addIssue({
          code: "custom",
          message: msg("canned.unknownPlaceholder"),
          params: { count: names.length, names: names.join(", ") },
        });
    }),
  shared: z.literal("1").optional().catch(undefined),
});

canned.get("/", async (c) => {
  const q = searchText().parse(c.req.query("q"));
  const me = userOf(c);
  const rows = await cannedFor(c.var.deps, me, q);
  return c.render(<CannedListPage rows={rows} q={q} editable={(row) => mayEdit(me, row)} />, {
    title: c.var.i18n.t("canned.title"),
  });
});

const formPage = (c: Ctx, values: Record<string, string>, id?: number) =>
  c.render(<CannedFormPage id={id} values={values} admin={isAdmin(userOf(c))} />, {
    title: c.var.i18n.t(id === undefined ? "canned.new" : "canned.editTitle"),
  });

canned.get("/new", (c) => formPage(c, { shared: isAdmin(userOf(c)) ? "1" : "" }));

/** The reply of the URL if this person may change it: 404 when it is not theirs to see, 403 when only to use. */
async function editableOf(c: Ctx) {
  const id = parseId(c.req.param("id") ?? "");
  const row = id === null ? null : await usableCanned(c.var.deps, userOf(c), id);
  if (!row) return { refused: c.notFound() };
  if (!mayEdit(userOf(c), row))
    return { refused: renderError(c, 403, c.var.i18n.t("error.forbiddenTitle"), c.var.i18n.t("canned.notYours")) };
  return { row };
}

canned.get("/:id{[0-9]+}", async (c) => {
  const { row, refused } = await editableOf(c);
  if (refused) return refused;
  return formPage(c, { title: row.title, body: row.body, shared: row.ownerId === null ? "1" : "" }, row.id);
});

async function save(c: Ctx, id?: number) {
  const form = await readForm(c, cannedForm);
  const title = c.var.i18n.t(id === undefined ? "canned.new" : "canned.editTitle");
  if (!form.ok) {
    const page = <CannedFormPage id={id} values={form.values} errors={form.errors} admin={isAdmin(userOf(c))} />;
    return refuseForm(c, 422, page, title);
  }
  const saved = await saveCanned(c.var.deps, userOf(c), { ...form.data, shared: form.data.shared === "1" }, id);
  setFlash(c, c.var.i18n.t("canned.saved", { title: saved.title }));
  return seeOther(c, "/canned");
}

canned.post("/", (c) => save(c));

canned.post("/:id{[0-9]+}", async (c) => {
  const { row, refused } = await editableOf(c);
  if (refused) return refused;
  return save(c, row.id);
});

canned.post("/:id{[0-9]+}/delete", async (c) => {
  const { row, refused } = await editableOf(c);
  if (refused) return refused;
  await deleteCanned(c.var.deps, row.id);
  setFlash(c, c.var.i18n.t("canned.deleted", { title: row.title }));
  return seeOther(c, "/canned");
});
