import type { FieldErrors } from "../components/field.js";
import { ErrorSummary, InputField } from "../components/field.js";
import { PostForm } from "../components/post-form.js";

export type LoginForm = { email?: string; next?: string };

export function LoginPage({
  values = {},
  errors,
  notice,
  signedOut,
}: {
  values?: LoginForm;
  errors?: FieldErrors;
  notice?: string;
  /** Just signed out: reassure whoever stands at a shared computer. */
  signedOut?: boolean;
}) {
  return (
    <section class="narrow" id="login">
      {signedOut && (
        <p class="notice signed-out" role="status">
          <strong>You have signed out.</strong> It is safe to leave this computer.
        </p>
      )}
      <h1>Sign in</h1>
      {notice && (
        <p class="notice" role="alert">
          {notice}
        </p>
      )}
      <ErrorSummary errors={errors} labels={{ email: "Email", password: "Password" }} />
      <PostForm action="/login" target="login">
        {values.next && <input type="hidden" name="next" value={values.next} />}
        <InputField
          name="email"
          label="Email"
          errors={errors}
          type="email"
          autocomplete="username"
          value={values.email}
          required
        />
        <InputField
          name="password"
          label="Password"
          errors={errors}
          type="password"
          autocomplete="current-password"
          required
        />
        <button type="submit">Sign in</button>
      </PostForm>
      <ul class="plain">
        <li>
          <a href={`/login/link${values.email ? `?${new URLSearchParams({ email: values.email })}` : ""}`}>
            Email me a sign-in link
          </a>
        </li>
        <li>
          <a href={`/password/forgot${values.email ? `?${new URLSearchParams({ email: values.email })}` : ""}`}>
            Forgot your password?
          </a>
        </li>
        <li>
          No account yet? <a href="/register">Register</a>
        </li>
      </ul>
    </section>
  );
}
