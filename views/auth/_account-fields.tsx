import { useT } from "../../src/i18n/view.js";
import type { FieldErrors } from "../components/field.js";
import { ErrorSummary, InputField, NewPasswordField } from "../components/field.js";

/** Name, email and a new password with their error summary: registering and the first admin's set-up. */
export function AccountFields({
  values,
  errors,
  passwordHint,
}: {
  values: { name?: string; email?: string };
  errors?: FieldErrors;
  passwordHint?: string;
}) {
  const t = useT();
  const field = (name: string) => ({ name, errors });
  const labels = { name: t("register.nameSummary"), email: t("login.email"), password: t("password.label") };
  return (
    <>
      <ErrorSummary errors={errors} labels={labels} />
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
      <NewPasswordField {...field("password")} hint={passwordHint} />
    </>
  );
}
