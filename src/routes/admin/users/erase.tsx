import { Hono } from "hono";
import { z } from "zod";
import { ConfirmErasePage } from "../../../../views/admin/users.js";
import type { AppEnv } from "../../../env.js";
import { requireUser, userOf } from "../../../http/auth/middleware.js";
import { setFlash } from "../../../http/flash.js";
import { checkedValues, readForm } from "../../../http/forms.js";
import { refuseForm, seeOther } from "../../../http/htmx.js";
import { can } from "../../../users/authorization.js";
import { erasePerson } from "../../../users/erase.js";
import { personOfUrl, refusePerson } from "./person-page.js";

// GET /admin/users/:id/erase: what erasing does, the choices, and the person's address to type
// (an irreversible change is confirmed by typing, not by one click); POST erases.
export const erase = new Hono<AppEnv>();
erase.use(requireUser(can.manageUsers), personOfUrl);

erase.get("/", (c) =>
  c.render(<ConfirmErasePage person={c.var.person} />, {
    title: c.var.i18n.t("erase.title", { name: c.var.person.name }),
  }),
);

erase.post("/", async (c) => {
  const { person } = c.var;
  const { t } = c.var.i18n;
  const form = await readForm(c, z.object({ confirm: z.string().trim().max(300).default("") }));
  const keep = await checkedValues(c, "keep");
  const choice = { keepText: keep.includes("text"), keepFiles: keep.includes("files") };
  if (person.erasedAt) return refusePerson(c, 409, t("erase.already"));
  const typed = form.ok ? form.data.confirm.toLowerCase() : "";
  if (typed !== person.email.toLowerCase()) {
    const errors = { confirm: t(typed ? "erase.confirmWrong" : "erase.confirmMissing", { email: person.email }) };
    const page = <ConfirmErasePage person={person} errors={errors} choice={choice} />;
    return refuseForm(c, 422, page, t("erase.title", { name: person.name }));
  }
  const result = await erasePerson(c.var.deps, userOf(c).id, person.id, choice);
  if (result.outcome === "self") return refusePerson(c, 409, t("erase.self"));
  if (result.outcome === "last admin") return refusePerson(c, 409, t("erase.lastAdmin", { name: person.name }));
  setFlash(c, t("erase.done", { name: person.name, dropped: result.dropped ?? 0 }));
  return seeOther(c, `/admin/users/${person.id}`);
});
