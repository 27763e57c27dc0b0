import { useI18n, useT } from "../../src/i18n/view.js";
import type { FieldErrors } from "../components/field.js";
import { ErrorSummary, InputField } from "../components/field.js";
import { PostForm } from "../components/post-form.js";
import { type ProviderLink, SsoLinks } from "./sso.js";

export type LoginForm = { email?: string; next?: string };

export function LoginPage({
  values = {},
  errors,
  notice,
  signedOut,
  providers = [],
}: {
  /** Single sign-on providers: "Sign in with <name>" under the form. */
  providers?: ProviderLink[];
  values?: LoginForm;
  errors?: FieldErrors;
  notice?: string;
  /** Just signed out: reassure whoever stands at a shared computer. */
  signedOut?: boolean;
}) {
  const t = useT();
  const rich = useI18n().rich;
  return (
    <section class="narrow" id="login">
      {signedOut && (
        <p class="notice signed-out" role="status">
          {rich("login.signedOut", { strong: (s) => <strong>{s}</strong> })}
        </p>
      )}
      <h1>{t("login.title")}</h1>
      {notice && (
        <p class="notice" role="alert">
          {notice}
        </p>
      )}
      <ErrorSummary errors={errors} labels={{ email: t("login.email"), password: t("password.label") }} />
      <PostForm action="/login" target="login">
        {values.next && <input type="hidden" name="next" value={values.next} />}
        <InputField
          name="email"
          label={t("login.email")}
          errors={errors}
          type="email"
          autocomplete="username"
          value={values.email}
          required
        />
        <InputField
          name="password"
          label={t("password.label")}
          errors={errors}
          type="password"
          autocomplete="current-password"
          required
        />
        <button type="submit">{t("login.submit")}</button>
      </PostForm>
      <SsoLinks providers={providers} next={values.next} />
      {/* Filled by app.js where the browser can use passkeys (empty, so unseen, everywhere else). */}
      <div
        class="passkey-signin"
        data-passkey-signin
        data-next={values.next}
        data-label={t("passkeys.signIn")}
        data-failed={t("passkeys.signInFailed")}
      ></div>
      <ul class="plain">
        <li>
          <a href={`/login/link${values.email ? `?${new URLSearchParams({ email: values.email })}` : ""}`}>
            {t("login.askLink")}
          </a>
        </li>
        <li>
          <a href={`/password/forgot${values.email ? `?${new URLSearchParams({ email: values.email })}` : ""}`}>
            {t("login.forgot")}
          </a>
        </li>
        <li>{rich("login.noAccount", { link: (s) => <a href="/register">{s}</a> })}</li>
      </ul>
    </section>
  );
}
