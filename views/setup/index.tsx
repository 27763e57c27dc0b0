import { useT } from "../../src/i18n/view.js";
import { AccountFields } from "../auth/_account-fields.js";
import { Csrf } from "../components/csrf.js";
import type { FieldErrors } from "../components/field.js";

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
  return (
    <section class="narrow" id="setup">
      <h1>{t("setup.title")}</h1>
      <p>{t("setup.lead")}</p>
      <form method="post" action="/setup" novalidate>
        <Csrf />
        <input type="hidden" name="token" value={token} />
        <AccountFields values={values} errors={errors} passwordHint={t("setup.passwordHint")} />
        <button type="submit">{t("setup.submit")}</button>
      </form>
    </section>
  );
}
