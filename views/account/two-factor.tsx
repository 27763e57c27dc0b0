import { raw } from "hono/html";
import { useT } from "../../src/i18n/view.js";
import type { FieldErrors } from "../components/field.js";
import { ErrorSummary, InputField } from "../components/field.js";
import { PostForm } from "../components/post-form.js";
import { Time } from "../components/time.js";

// /account/two-factor: turning an authenticator app on and off, and recovery codes.

export type PasskeyRow = { id: string; name: string; createdAt: Date; lastUsedAt: Date | null };

/** A person's second factors: the authenticator app (on since), passkeys, recovery codes left. */
export type TwoFactorState = {
  required: boolean;
  app: Date | null;
  passkeys: PasskeyRow[];
  recoveryLeft: number;
};

export const isOn = (state: TwoFactorState) => Boolean(state.app) || state.passkeys.length > 0;

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

export function TwoFactorPage({
  state,
  errors,
  notice,
}: {
  state: TwoFactorState;
  errors?: FieldErrors;
  /** What just happened (a passkey added, or why not). */
  notice?: string;
}) {
  const t = useT();
  const labels = { code: t("twoFactor.code"), off_code: t("twoFactor.code") };
  const on = isOn(state);
  // The app may go while something else remains, or while nothing requires it.
  const appMayGo = !state.required || state.passkeys.length > 0;
  return (
    <section class="narrow" id="two-factor">
      <h1>{t("twoFactor.title")}</h1>
      {state.required && !on && (
        <p class="notice" role="alert">
          {t("twoFactor.requiredFirst")}
        </p>
      )}
      {notice && (
        <p class="notice" role="status">
          {notice}
        </p>
      )}
      <p>{t("twoFactor.lead")}</p>
      <p>
        <strong>{t(on ? "twoFactor.isOn" : "twoFactor.isOff")}</strong>
        {on && ` ${t("twoFactor.recoveryLeft", { count: state.recoveryLeft })}`}
      </p>
      <ErrorSummary errors={errors} labels={labels} />
      <h2>{t("twoFactor.appTitle")}</h2>
      {!state.app ? (
        <PostForm action="/account/two-factor/setup" target="two-factor">
          <button type="submit">{t("twoFactor.setUp")}</button>
        </PostForm>
      ) : (
        <>
          <p>
            {t("twoFactor.since")} <Time date={state.app} />
          </p>
          {appMayGo ? (
            <PostForm action="/account/two-factor/off" target="two-factor">
              <CodeField name="off_code" errors={errors} recovery />
              <button type="submit" class="danger">
                {t("twoFactor.turnOff")}
              </button>
            </PostForm>
          ) : (
            <p>{t("twoFactor.requiredStays")}</p>
          )}
        </>
      )}
      <h2>{t("passkeys.title")}</h2>
      <p>{t("passkeys.lead")}</p>
      {state.passkeys.length > 0 && (
        <ul class="plain passkey-list">
          {state.passkeys.map((p) => (
            <li>
              <strong dir="auto">{p.name}</strong>{" "}
              <span class="meta">
                {t("passkeys.added_on")} <Time date={p.createdAt} />
                {p.lastUsedAt && (
                  <>
                    {" · "}
                    {t("passkeys.lastUsed")} <Time date={p.lastUsedAt} />
                  </>
                )}
              </span>
              {(appMayGo || state.passkeys.length > 1) && (
                <PostForm class="inline" action={`/account/two-factor/passkeys/${p.id}/delete`} target="two-factor">
                  <button type="submit" class="secondary" aria-label={t("passkeys.removeLabel", { name: p.name })}>
                    {t("passkeys.remove")}
                  </button>
                </PostForm>
              )}
            </li>
          ))}
        </ul>
      )}
      {/* Filled by app.js (a name and a button) where the browser can make a passkey; otherwise the sentence under it. */}
      <div
        class="passkey-add"
        data-passkey-add
        data-label={t("passkeys.name")}
        data-hint={t("passkeys.nameHint")}
        data-button={t("passkeys.add")}
        data-failed={t("passkeys.failed")}
      ></div>
      <p class="hint" data-passkey-none>
        {t("passkeys.needsScript")}
      </p>
      {on && (
        <>
          <h2>{t("twoFactor.newCodesTitle")}</h2>
          <p>{t("twoFactor.newCodesLead")}</p>
          <PostForm action="/account/two-factor/recovery-codes" target="two-factor">
            <CodeField errors={errors} recovery />
            <button type="submit">{t("twoFactor.newCodes")}</button>
          </PostForm>
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
export function RecoveryCodesPage({
  codes,
  justTurnedOn,
  lead,
}: {
  codes: string[];
  justTurnedOn: boolean;
  /** Said first (a passkey was added, and these are the way in without it). */
  lead?: string;
}) {
  const t = useT();
  return (
    <section class="narrow" id="two-factor">
      <h1>{t(justTurnedOn ? "twoFactor.onTitle" : "twoFactor.codesTitle")}</h1>
      {lead && <p>{lead}</p>}
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
