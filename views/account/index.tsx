import { LANGUAGE_CODES, LANGUAGES } from "../../src/i18n/languages.js";
import { formatDate } from "../../src/i18n/time.js";
import type { I18n } from "../../src/i18n/translate.js";
import { useI18n, useT } from "../../src/i18n/view.js";
import { roleLabel } from "../../src/i18n/words.js";
import { MAIL_KINDS, type MailKind } from "../../src/mail/settings.js";
import { Checkboxes } from "../components/checkboxes.js";
import { Csrf } from "../components/csrf.js";
import type { FieldErrors } from "../components/field.js";
import { ErrorSummary, InputField, NewPasswordField } from "../components/field.js";
import { PostForm } from "../components/post-form.js";
import { SelectField } from "../components/select.js";
import { Time, useTimeZone } from "../components/time.js";

export type SessionRow = { id: string; userAgent: string; createdAt: Date; lastSeenAt: Date; current: boolean };

/** "Firefox on Windows": a session's device as its owner recognises it. */
export function device(t: I18n["t"], userAgent: string): string {
  const browser = /Edg\//.test(userAgent)
    ? "Edge"
    : /Chrom(e|ium)\//.test(userAgent)
      ? "Chromium"
      : /Firefox\//.test(userAgent)
        ? "Firefox"
        : /Safari\//.test(userAgent)
          ? "Safari"
          : t("account.aBrowser");
  const os = /Windows/.test(userAgent)
    ? "Windows"
    : /Android/.test(userAgent)
      ? "Android"
      : /iPhone|iPad/.test(userAgent)
        ? "iOS"
        : /Mac OS X/.test(userAgent)
          ? "macOS"
          : /Linux/.test(userAgent)
            ? "Linux"
            : "";
  return os ? t("account.browserOn", { browser, os }) : browser;
}

export function NameForm({ name, errors }: { name: string; errors?: FieldErrors }) {
  const t = useT();
  return (
    <PostForm id="name-form" action="/account" target="name-form">
      <InputField
        name="name"
        label={t("account.yourName")}
        errors={errors}
        autofocus
        type="text"
        autocomplete="name"
        value={name}
        required
        maxlength={100}
      />
      <button type="submit">{t("account.saveName")}</button>
    </PostForm>
  );
}

export function PasswordForm({ errors }: { errors?: FieldErrors }) {
  const t = useT();
  const labels = { current_password: t("account.currentPassword"), new_password: t("password.new") };
  return (
    <PostForm id="password-form" action="/account/password" target="password-form">
      <ErrorSummary errors={errors} labels={labels} />
      <InputField
        name="current_password"
        label={labels.current_password}
        errors={errors}
        type="password"
        autocomplete="current-password"
        required
      />
      <NewPasswordField
        name="new_password"
        label={labels.new_password}
        errors={errors}
        hint={t("account.newPasswordHint")}
      />
      <button type="submit">{t("account.changePassword")}</button>
    </PostForm>
  );
}

export function SessionList({ sessions }: { sessions: SessionRow[] }) {
  const timeZone = useTimeZone();
  const t = useT();
  return (
    <div id="sessions">
      <table>
        <caption>{t("account.whereSignedIn")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("account.device")}</th>
            <th scope="col">{t("account.signedIn")}</th>
            <th scope="col">{t("account.lastActive")}</th>
            <th scope="col">
              <span class="visually-hidden">{t("account.action")}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {sessions.map((s) => (
            <tr>
              <td>
                {device(t, s.userAgent)}
                {s.current && <strong> {t("account.thisDevice")}</strong>}
              </td>
              <td>
                <Time date={s.createdAt} />
              </td>
              <td>
                <Time date={s.lastSeenAt} />
              </td>
              <td>
                {!s.current && (
                  <PostForm class="inline" action={`/account/sessions/${s.id}/end`} target="sessions">
                    <button
                      type="submit"
                      class="secondary"
                      aria-label={t("account.signOutDevice", {
                        device: device(t, s.userAgent),
                        when: formatDate(s.lastSeenAt, timeZone),
                      })}
                    >
                      {t("nav.signOut")}
                    </button>
                  </PostForm>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {sessions.length > 1 && (
        <PostForm action="/account/sessions/end-others" target="sessions">
          <button type="submit" class="secondary">
            {t("account.signOutElsewhere")}
          </button>
        </PostForm>
      )}
    </div>
  );
}

/** Which emails the person gets: one checkbox per kind they can choose, one save. */
export function MailForm({ settings }: { settings: Record<MailKind, boolean> }) {
  const t = useT();
  return (
    <PostForm id="mail-form" action="/account/mail" target="mail-form">
      <Checkboxes
        legend={t("account.mailWhen")}
        name="on"
        idPrefix="mail"
        options={(Object.keys(settings) as MailKind[]).map((kind) => ({
          value: kind,
          label: t(MAIL_KINDS[kind].label),
          checked: settings[kind],
        }))}
      />
      <p class="hint">{t("account.mailHint")}</p>
      <button type="submit">{t("account.saveMail")}</button>
    </PostForm>
  );
}

/**
 * The person's language: one of the desk's, or whatever the browser asks for. A whole page loads
 * after it (not a swap in place): the page's language and direction change with it.
 */
export function LanguageForm({ chosen }: { chosen: string | null }) {
  const t = useT();
  return (
    <form method="post" action="/language" data-hx-boost="false">
      <Csrf />
      <input type="hidden" name="back" value="/account" />
      <SelectField
        id="language-setting"
        name="lang"
        label={t("language.menu")}
        hint={t("language.hint")}
        value={chosen ?? "auto"}
        options={[
          ["auto", t("language.automatic")],
          ...LANGUAGE_CODES.map((code) => [code, LANGUAGES[code].name] as const),
        ]}
      />
      <button type="submit">{t("language.save")}</button>
    </form>
  );
}

export function AccountPage(props: {
  name: string;
  email: string;
  role: string;
  sessions: SessionRow[];
  mail: Record<MailKind, boolean>;
  /** An account made from an email has none: it signs in by link. */
  hasPassword: boolean;
  /** Their language setting, if they chose one. */
  language: string | null;
  /** They sign in with a second factor. */
  twoFactor: boolean;
}) {
  const { t, rich } = useI18n();
  return (
    <section id="account">
      <h1>{t("account.title")}</h1>
      <p>
        {rich("account.signedInAs", {
          email: props.email,
          role: roleLabel(t, props.role),
          strong: (s) => <strong>{s}</strong>,
        })}
      </p>
      <h2>{t("account.name")}</h2>
      <NameForm name={props.name} />
      <h2 id="mail">{t("account.email")}</h2>
      <MailForm settings={props.mail} />
      <h2 id="language">{t("language.menu")}</h2>
      <LanguageForm chosen={props.language} />
      <h2>{t("account.password")}</h2>
      {props.hasPassword ? (
        <PasswordForm />
      ) : (
        <form method="post" action="/password/forgot">
          <Csrf />
          <input type="hidden" name="email" value={props.email} />
          <p>{t("account.linkOnly")}</p>
          <button type="submit" class="secondary">
            {t("account.emailLink")}
          </button>
        </form>
      )}
      <h2 id="two-factor">{t("twoFactor.title")}</h2>
      <p>
        <strong>{t(props.twoFactor ? "twoFactor.isOn" : "twoFactor.isOff")}</strong>{" "}
        <a href="/account/two-factor">{t(props.twoFactor ? "twoFactor.manage" : "twoFactor.setUp")}</a>
      </p>
      <h2 id="api-tokens">{t("tokens.title")}</h2>
      <p>
        {t("tokens.accountLead")} <a href="/account/tokens">{t("tokens.manage")}</a>
      </p>
      <h2 id="your-data">{t("account.dataTitle")}</h2>
      <p>{t("account.dataLead")}</p>
      <p>
        <a href="/account/export.zip" data-hx-boost="false" download>
          {t("account.dataDownload")}
        </a>
      </p>
      <h2>{t("account.sessions")}</h2>
      <SessionList sessions={props.sessions} />
    </section>
  );
}
