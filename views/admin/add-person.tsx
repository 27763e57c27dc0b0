import { useT } from "../../src/i18n/view.js";
import { roleLabel } from "../../src/i18n/words.js";
import { ROLES } from "../../src/users/authorization.js";
import { ErrorSummary, type FieldErrors, InputField } from "../components/field.js";
import { PostForm } from "../components/post-form.js";
import { SelectField } from "../components/select.js";

/** An admin adds a person: name, email, role; they are emailed a link to choose a password. */
export function AddPersonPage({ values, errors }: { values: Record<string, string>; errors?: FieldErrors }) {
  const t = useT();
  return (
    <section id="add-person">
      <p class="meta">
        <a href="/admin/users">{t("people.back")}</a>
      </p>
      <h1>{t("people.addTitle")}</h1>
      <p>{t("people.addLead")}</p>
      <ErrorSummary
        errors={errors}
        labels={{ name: t("people.name"), email: t("people.email"), role: t("people.role") }}
      />
      <PostForm action="/admin/users" target="add-person">
        <InputField
          name="name"
          type="text"
          label={t("people.name")}
          value={values.name}
          errors={errors}
          autocomplete="off"
        />
        <InputField
          name="email"
          type="email"
          label={t("people.email")}
          value={values.email}
          errors={errors}
          autocomplete="off"
        />
        <SelectField
          id="role"
          label={t("people.role")}
          value={values.role ?? "agent"}
          options={ROLES.map((r) => [r, roleLabel(t, r)] as const)}
        />
        <div class="actions">
          <button type="submit">{t("people.addSubmit")}</button>
        </div>
      </PostForm>
    </section>
  );
}
