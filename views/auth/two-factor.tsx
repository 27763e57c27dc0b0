import { useT } from "../../src/i18n/view.js";
import type { FieldErrors } from "../components/field.js";
import { ErrorSummary, InputField } from "../components/field.js";
import { PostForm } from "../components/post-form.js";

/** The second step of signing in: the code from the authenticator app, or a recovery code. */
export function SecondStepPage({ name, errors, passkeys }: { name: string; errors?: FieldErrors; passkeys?: boolean }) {
  const t = useT();
  return (
    <section class="narrow" id="second-step">
      <h1>{t("twoFactor.stepTitle")}</h1>
      <p>{t("twoFactor.stepLead", { name })}</p>
      {passkeys && (
        // Filled by app.js where the browser can use passkeys; the code below works everywhere.
        <div
          class="passkey-signin"
          data-passkey-second
          data-label={t("passkeys.useOne")}
          data-or={t("passkeys.orCode")}
          data-failed={t("passkeys.signInFailed")}
        ></div>
      )}
      <ErrorSummary errors={errors} labels={{ code: t("twoFactor.code") }} />
      <PostForm action="/login/two-factor" target="second-step">
        <InputField
          name="code"
          label={t("twoFactor.code")}
          hint={t("twoFactor.stepHint")}
          errors={errors}
          type="text"
          autocomplete="one-time-code"
          required
          maxlength={20}
        />
        <button type="submit">{t("login.submit")}</button>
      </PostForm>
      <p>
        <a href="/login">{t("twoFactor.startAgain")}</a>
      </p>
    </section>
  );
}
