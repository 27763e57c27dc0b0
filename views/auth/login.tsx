import type { FieldErrors } from "../components/field.js";
import { ErrorSummary, Field } from "../components/field.js";
import { Csrf } from "../components/csrf.js";

export type LoginForm = { email?: string; next?: string };

export function LoginPage({
  values = {},
  errors,
  notice,
}: {
  values?: LoginForm;
  errors?: FieldErrors;
  notice?: string;
}) {
  return (
    <section class="narrow" id="login">
      <h1>Sign in</h1>
      {notice && (
        <p class="notice" role="alert">
          {notice}
        </p>
      )}
      <ErrorSummary errors={errors} labels={{ email: "Email", password: "Password" }} />
      <form
        method="post"
        action="/login"
        data-hx-post="/login"
        data-hx-target="#login"
        data-hx-swap="outerHTML"
        novalidate
      >
        <Csrf />
        {values.next && <input type="hidden" name="next" value={values.next} />}
        <Field name="email" label="Email" errors={errors} autofocus>
          {(a) => <input {...a} type="email" autocomplete="username" value={values.email ?? ""} required />}
        </Field>
        <Field name="password" label="Password" errors={errors}>
          {(a) => <input {...a} type="password" autocomplete="current-password" required />}
        </Field>
        <button type="submit">Sign in</button>
      </form>
      <p>
        No account yet? <a href="/register">Register</a>
      </p>
    </section>
  );
}
