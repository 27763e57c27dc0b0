import { raw } from "hono/html";
import { useT } from "../../src/i18n/view.js";
import type { FieldErrors } from "../components/field.js";
import { ErrorSummary, InputField } from "../components/field.js";
import { PostForm } from "../components/post-form.js";
import { Time } from "../components/time.js";

// /account/two-factor: turning an authenticator app on and off, and recovery codes.

export type TwoFactorState =
  | { on: false; required: boolean }
  | { on: true; since: Date; recoveryLeft: number; required: boolean };

/** A field for a code from the app (or a recovery code, where `recovery`). */
function CodeField({ name = "code", errors, recovery }: { name?: string; errors?: FieldErrors; recovery?: boolean }) {
  const t = useT();
  return (
    <InputField
      name={name}
      label={t("twoFactor.code")}
      hint={t(recovery ? "twoFactor.stepHint" : "twoFactor.codeHint")}
      errors={errors}
      type="text"
      autocomplete="one-time-code"
      inputmode={recovery ? undefined : "numeric"}
      required
      maxlength={20}
    />
  );
}

export function TwoFactorPage({ state, errors }: { state: TwoFactorState; errors?: FieldErrors }) {
  const t = useT();
  const labels = { code: t("twoFactor.code"), off_code: t("twoFactor.code") };
  return (
    <section class="narrow" id="two-factor">
      <h1>{t("twoFactor.title")}</h1>
      {state.required && !state.on && (
        <p class="notice" role="alert">
          {t("twoFactor.requiredFirst")}
        </p>
      )}
      <p>{t("twoFactor.lead")}</p>
      {!state.on ? (
        <>
          <p>
            <strong>{t("twoFactor.isOff")}</strong>
          </p>
          <PostForm action="/account/two-factor/setup" target="two-factor">
            <button type="submit">{t("twoFactor.setUp")}</button>
          </PostForm>
        </>
      ) : (
        <>
          <p>
            <strong>{t("twoFactor.isOn")}</strong> {t("twoFactor.since")} <Time date={state.since} />.{" "}
            {t("twoFactor.recoveryLeft", { count: state.recoveryLeft })}
          </p>
          <ErrorSummary errors={errors} labels={labels} />
          <h2>{t("twoFactor.newCodesTitle")}</h2>
          <p>{t("twoFactor.newCodesLead")}</p>
          <PostForm action="/account/two-factor/recovery-codes" target="two-factor">
            <CodeField errors={errors} recovery />
            <button type="submit">{t("twoFactor.newCodes")}</button>
          </PostForm>
          {state.required ? (
            <p>{t("twoFactor.requiredStays")}</p>
          ) : (
            <>
              <h2>{t("twoFactor.offTitle")}</h2>
              <PostForm action="/account/two-factor/off" target="two-factor">
                <CodeField name="off_code" errors={errors} recovery />
                <button type="submit" class="danger">
                  {t("twoFactor.turnOff")}
                </button>
              </PostForm>
            </>
          )}
        </>
      )}
      <p>
        <a href="/account">{t("twoFactor.backToAccount")}</a>
      </p>
    </section>
  );
}

/** Step 2 of setting up: the secret as a QR code and as text, and a code to show the app has it. */
export function SetupPage({ secret, qr, errors }: { secret: string; qr: string; errors?: FieldErrors }) {
  const t = useT();
  return (
    <section class="narrow" id="two-factor">
      <h1>{t("twoFactor.setupTitle")}</h1>
      <ol>
        <li>{t("twoFactor.setupScan")}</li>
        <li>{t("twoFactor.setupConfirm")}</li>
      </ol>
      <figure class="qr">
        {/* Made on the server from the otpauth: address; it holds no script and names no remote file. */}
        <div role="img" aria-label={t("twoFactor.qrLabel")}>
          {raw(qr)}
        </div>
        <figcaption>
          {t("twoFactor.setupKey")} <code class="secret">{secret}</code>
        </figcaption>
      </figure>
      <ErrorSummary errors={errors} labels={{ code: t("twoFactor.code") }} />
      <PostForm action="/account/two-factor/confirm" target="two-factor">
        <CodeField errors={errors} />
        <button type="submit">{t("twoFactor.confirm")}</button>
      </PostForm>
      <p>
        <a href="/account/two-factor">{t("twoFactor.cancel")}</a>
      </p>
    </section>
  );
}

/** The recovery codes, shown this once. */
export function RecoveryCodesPage({ codes, justTurnedOn }: { codes: string[]; justTurnedOn: boolean }) {
  const t = useT();
  return (
    <section class="narrow" id="two-factor">
      <h1>{t(justTurnedOn ? "twoFactor.onTitle" : "twoFactor.codesTitle")}</h1>
      <p role="status">{t("twoFactor.codesLead", { count: codes.length })}</p>
      <ul class="recovery-codes">
        {codes.map((code) => (
          <li>
            <code>{code}</code>
          </li>
        ))}
      </ul>
      <p>{t("twoFactor.codesOnce")}</p>
      <p>
        <a href="/account/two-factor">{t("twoFactor.codesSaved")}</a>
      </p>
    </section>
  );
}
