import { Hono } from "hono";
import { z } from "zod";
import { AddPersonPage } from "../../../../views/admin/add-person.js";
import { PersonPage, UsersPage } from "../../../../views/admin/users.js";
import type { FieldErrors } from "../../../../views/components/field.js";
import type { AppEnv } from "../../../env.js";
import { requestMeta, requireUser, userOf } from "../../../http/auth/middleware.js";
import { setFlash } from "../../../http/flash.js";
import { emailField, readForm, searchText, text } from "../../../http/forms.js";
import { refuseForm, seeOther } from "../../../http/htmx.js";
import { parseId } from "../../../http/ids.js";
import { msg } from "../../../i18n/translate.js";
import { can, ROLES } from "../../../users/authorization.js";
import { INVITE_DAYS, sendLink } from "../../../users/links.js";
import { addPerson, listPeople } from "../../../users/people.js";
import { normaliseEmail } from "../../../users/sign-in.js";
import { personOfUrl } from "./person-page.js";

// GET /admin/users and /admin/users/:id: everyone with an account, and one person.
export const users = new Hono<AppEnv>();
users.use(requireUser(can.manageUsers));

users.get("/", async (c) => {
  const q = searchText().parse(c.req.query("q")) || undefined;
  const { people, nextAfter } = await listPeople(c.var.deps, q, parseId(c.req.query("after")));
  const params = new URLSearchParams({ ...(q ? { q } : {}), after: String(nextAfter) });
  const nextUrl = nextAfter ? `/admin/users?${params}` : undefined;
  return c.render(<UsersPage people={people} q={q} nextUrl={nextUrl} />, { title: c.var.i18n.t("people.title") });
});

const addForm = z.object({
  name: text(z, "name", 1, 100),
  email: emailField(),
  role: z.enum(ROLES, { error: msg("people.chooseRole") }),
});

users.get("/new", (c) =>
  c.render(<AddPersonPage values={{ role: "agent" }} />, { title: c.var.i18n.t("people.addTitle") }),
);

// An admin adds a person, who is emailed a link to choose a password (for INVITE_DAYS).
users.post("/", async (c) => {
  const { deps, i18n } = c.var;
  const form = await readForm(c, addForm);
  const again = (errors: FieldErrors) => {
    return refuseForm(c, 422, <AddPersonPage values={form.values} errors={errors} />, i18n.t("people.addTitle"));
  };
  if (!form.ok) return again(form.errors);
  const email = normaliseEmail(form.data.email);
  const added = await addPerson(deps, { ...form.data, name: form.data.name.trim(), email });
  if (!added) return again({ email: i18n.t("people.emailTaken") });
  const by = { by: userOf(c).name, role: form.data.role };
  const retryAt = await sendLink(deps, "reset", email, requestMeta(c), by);
  setFlash(
    c,
    i18n.t(retryAt ? "people.addedNoMail" : "people.added", { name: form.data.name.trim(), email, days: INVITE_DAYS }),
  );
  return seeOther(c, `/admin/users/${added.id}`);
});

users.get("/:id{[0-9]+}", personOfUrl, (c) => {
  const { person } = c.var;
  return c.render(<PersonPage person={person} self={person.id === userOf(c).id} />, { title: person.name });
});
