import type { FieldErrors } from "../components/field.js";
import { ErrorSummary, InputField, NewPasswordField } from "../components/field.js";
import { PostForm } from "../components/post-form.js";
import { useI18n, useT } from "../../src/i18n/view.js";

export type RegisterForm = { name?: string; email?: string };

export function RegisterPage({ values = {}, errors }: { values?: RegisterForm; errors?: FieldErrors }) {
  const t = useT();
  const rich = useI18n().rich;
  const field = (name: string) => ({ name, errors });
  return (
    <section class="narrow" id="register">
      <h1>{t("register.title")}</h1>
      <ErrorSummary
        errors={errors}
        labels={{ name: t("register.nameSummary"), email: t("login.email"), password: t("password.label") }}
      />
      <PostForm action="/register" target="register">
        <InputField
          {...field("name")}
          label={t("register.nameLabel")}
          type="text"
          autocomplete="name"
          value={values.name}
          required
          maxlength={100}
        />
        <InputField
          {...field("email")}
          label={t("login.email")}
          type="email"
          autocomplete="email"
          value={values.email}
          required
        />
        <NewPasswordField {...field("password")} />
        <button type="submit">{t("register.submit")}</button>
      </PostForm>
      <p>{rich("register.already", { link: (s) => <a href="/login">{s}</a> })}</p>
    </section>
  );
}
