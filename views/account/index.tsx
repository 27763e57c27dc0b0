import { Checkboxes } from "../components/checkboxes.js";
import { Csrf } from "../components/csrf.js";
import { PostForm } from "../components/post-form.js";
import type { FieldErrors } from "../components/field.js";
import { ErrorSummary, InputField, NewPasswordField } from "../components/field.js";
import { Time, useTimeZone } from "../components/time.js";
import { formatDate } from "../../src/lib/time.js";
import { MAIL_KINDS, type MailKind } from "../../src/mail/settings.js";

export type SessionRow = { id: string; userAgent: string; createdAt: Date; lastSeenAt: Date; current: boolean };

export function device(userAgent: string): string {
  const browser = /Edg\//.test(userAgent)
    ? "Edge"
    : /Chrom(e|ium)\//.test(userAgent)
      ? "Chromium"
      : /Firefox\//.test(userAgent)
        ? "Firefox"
        : /Safari\//.test(userAgent)
          ? "Safari"
          : "A browser";
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
  return os ? `${browser} on ${os}` : browser;
}

export function NameForm({ name, errors }: { name: string; errors?: FieldErrors }) {
  return (
    <PostForm id="name-form" action="/account" target="name-form">
      <InputField
        name="name"
        label="Your name"
        errors={errors}
        autofocus
        type="text"
        autocomplete="name"
        value={name}
        required
        maxlength={100}
      />
      <button type="submit">Save name</button>
    </PostForm>
  );
}

const PASSWORD_LABELS = { current_password: "Current password", new_password: "New password" };

export function PasswordForm({ errors }: { errors?: FieldErrors }) {
  return (
    <PostForm id="password-form" action="/account/password" target="password-form">
      <ErrorSummary errors={errors} labels={PASSWORD_LABELS} />
      <InputField
        name="current_password"
        label="Current password"
        errors={errors}
        type="password"
        autocomplete="current-password"
        required
      />
      <NewPasswordField
        name="new_password"
        label="New password"
        errors={errors}
        hint="At least 8 characters. Changing it signs you out everywhere else."
      />
      <button type="submit">Change password</button>
    </PostForm>
  );
}

export function SessionList({ sessions }: { sessions: SessionRow[] }) {
  const timeZone = useTimeZone();
  return (
    <div id="sessions">
      <table>
        <caption>Where you are signed in</caption>
        <thead>
          <tr>
            <th scope="col">Device</th>
            <th scope="col">Signed in</th>
            <th scope="col">Last active</th>
            <th scope="col">
              <span class="visually-hidden">Action</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {sessions.map((s) => (
            <tr>
              <td>
                {device(s.userAgent)}
                {s.current && <strong> (this device)</strong>}
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
                      aria-label={`Sign out ${device(s.userAgent)}, last active ${formatDate(s.lastSeenAt, timeZone)}`}
                    >
                      Sign out
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
            Sign out everywhere else
          </button>
        </PostForm>
      )}
    </div>
  );
}

/** Which emails the person gets: one checkbox per kind they can choose, one save. */
export function MailForm({ settings }: { settings: Record<MailKind, boolean> }) {
  return (
    <PostForm id="mail-form" action="/account/mail" target="mail-form">
      <Checkboxes
        legend="Email me when"
        name="on"
        idPrefix="mail"
        options={(Object.keys(settings) as MailKind[]).map((kind) => ({
          value: kind,
          label: MAIL_KINDS[kind].label,
          checked: settings[kind],
        }))}
      />
      <p class="hint">You are never emailed about what you did yourself, and internal notes are never emailed.</p>
      <button type="submit">Save email choices</button>
    </PostForm>
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
}) {
  return (
    <section id="account">
      <h1>Your account</h1>
      <p>
        Signed in as <strong>{props.email}</strong> ({props.role}).
      </p>
      <h2>Name</h2>
      <NameForm name={props.name} />
      <h2 id="mail">Email</h2>
      <MailForm settings={props.mail} />
      <h2>Password</h2>
      {props.hasPassword ? (
        <PasswordForm />
      ) : (
        <form method="post" action="/password/forgot">
          <Csrf />
          <input type="hidden" name="email" value={props.email} />
          <p>You sign in with links sent to your email. To use a password too, we email you a link to choose one.</p>
          <button type="submit" class="secondary">
            Email me a link to choose a password
          </button>
        </form>
      )}
      <h2>Sessions</h2>
      <SessionList sessions={props.sessions} />
    </section>
  );
}
