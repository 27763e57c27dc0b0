import { Csrf } from "../components/csrf.js";
import { ErrorSummary, InputField, NewPasswordField, type FieldErrors } from "../components/field.js";
import { useT } from "../../src/i18n/view.js";

export function SetupPage({
  token,
  values = {},
  errors,
}: {
  token: string;
  values?: { name?: string; email?: string };
  errors?: FieldErrors;
}) {
  const t = useT();
  const field = (name: string) => ({ name, errors });
  const labels = { name: t("register.nameSummary"), email: t("login.email"), password: t("password.label") };
  return (
    <section class="narrow" id="setup">
      <h1>{t("setup.title")}</h1>
      <p>{t("setup.lead")}</p>
      <ErrorSummary errors={errors} labels={labels} />
      <form method="post" action="/setup" novalidate>
        <Csrf />
        <input type="hidden" name="token" value={token} />
        <InputField
          {...field("name")}
          label={t("register.nameLabel")}
          type="text"
          autocomplete="name"
          value={values.name}
          required
        />
        <InputField
          {...field("email")}
          label={t("login.email")}
          type="email"
          autocomplete="email"
          value={values.email}
          required
        />
        <NewPasswordField {...field("password")} hint={t("setup.passwordHint")} />
        <button type="submit">{t("setup.submit")}</button>
      </form>
    </section>
  );
}
