import { useI18n } from "../../src/i18n/view.js";
import type { FieldErrors } from "../components/field.js";
import { PostForm } from "../components/post-form.js";
import { AccountFields } from "./_account-fields.js";

export type RegisterForm = { name?: string; email?: string };

export function RegisterPage({ values = {}, errors }: { values?: RegisterForm; errors?: FieldErrors }) {
  const { t, rich } = useI18n();
  return (
    <section class="narrow" id="register">
      <h1>{t("register.title")}</h1>
      <PostForm action="/register" target="register">
        <AccountFields values={values} errors={errors} />
        <button type="submit">{t("register.submit")}</button>
      </PostForm>
      <p>{rich("register.already", { link: (s) => <a href="/login">{s}</a> })}</p>
    </section>
  );
}
