import type { FieldErrors } from "../components/field.js";
import { ErrorSummary, Field, firstError } from "../components/field.js";
import { Csrf } from "../components/csrf.js";
import { Time, useTimeZone } from "../components/time.js";
import { formatDate } from "../../src/lib/time.js";

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
    <form
      id="name-form"
      method="post"
      action="/account"
      data-hx-post="/account"
      data-hx-target="#name-form"
      data-hx-swap="outerHTML"
      novalidate
    >
      <Csrf />
      <Field name="name" label="Your name" errors={errors} autofocus>
        {(a) => <input {...a} type="text" autocomplete="name" value={name} required maxlength={100} />}
      </Field>
      <button type="submit">Save name</button>
    </form>
  );
}

const PASSWORD_LABELS = { current_password: "Current password", new_password: "New password" };

export function PasswordForm({ errors }: { errors?: FieldErrors }) {
  const first = firstError(["current_password", "new_password"], errors);
  return (
    <form
      id="password-form"
      method="post"
      action="/account/password"
      data-hx-post="/account/password"
      data-hx-target="#password-form"
      data-hx-swap="outerHTML"
      novalidate
    >
      <Csrf />
      <ErrorSummary errors={errors} labels={PASSWORD_LABELS} />
      <Field name="current_password" label="Current password" errors={errors} autofocus={first === "current_password"}>
        {(a) => <input {...a} type="password" autocomplete="current-password" required />}
      </Field>
      <Field
        name="new_password"
        label="New password"
        errors={errors}
        autofocus={first === "new_password"}
        hint="At least 8 characters. Changing it signs you out everywhere else."
      >
        {(a) => <input {...a} type="password" autocomplete="new-password" required minlength={8} />}
      </Field>
      <button type="submit">Change password</button>
    </form>
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
                  <form
                    method="post"
                    action={`/account/sessions/${s.id}/end`}
                    data-hx-post={`/account/sessions/${s.id}/end`}
                    data-hx-target="#sessions"
                    data-hx-swap="outerHTML"
                    class="inline"
                  >
                    <Csrf />
                    <button
                      type="submit"
                      class="secondary"
                      aria-label={`Sign out ${device(s.userAgent)}, last active ${formatDate(s.lastSeenAt, timeZone)}`}
                    >
                      Sign out
                    </button>
                  </form>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {sessions.length > 1 && (
        <form
          method="post"
          action="/account/sessions/end-others"
          data-hx-post="/account/sessions/end-others"
          data-hx-target="#sessions"
          data-hx-swap="outerHTML"
        >
          <Csrf />
          <button type="submit" class="secondary">
            Sign out everywhere else
          </button>
        </form>
      )}
    </div>
  );
}

export function AccountPage(props: { name: string; email: string; role: string; sessions: SessionRow[] }) {
  return (
    <section id="account">
      <h1>Your account</h1>
      <p>
        Signed in as <strong>{props.email}</strong> ({props.role}).
      </p>
      <h2>Name</h2>
      <NameForm name={props.name} />
      <h2>Password</h2>
      <PasswordForm />
      <h2>Sessions</h2>
      <SessionList sessions={props.sessions} />
    </section>
  );
}
