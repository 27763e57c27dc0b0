import type { FieldErrors } from "../components/field.js";
import { ErrorSummary, Field, firstError } from "../components/field.js";
import { Csrf } from "../components/csrf.js";

export type RegisterForm = { name?: string; email?: string };
const ORDER = ["name", "email", "password"];

export function RegisterPage({ values = {}, errors }: { values?: RegisterForm; errors?: FieldErrors }) {
  const first = firstError(ORDER, errors);
  return (
    <section class="narrow" id="register">
      <h1>Create your account</h1>
      <ErrorSummary errors={errors} labels={{ name: "Name", email: "Email", password: "Password" }} />
      <form
        method="post"
        action="/register"
        data-hx-post="/register"
        data-hx-target="#register"
        data-hx-swap="outerHTML"
        novalidate
      >
        <Csrf />
        <Field name="name" label="Your name" errors={errors} autofocus={first === "name"}>
          {(a) => <input {...a} type="text" autocomplete="name" value={values.name ?? ""} required maxlength={100} />}
        </Field>
        <Field name="email" label="Email" errors={errors} autofocus={first === "email"}>
          {(a) => <input {...a} type="email" autocomplete="email" value={values.email ?? ""} required />}
        </Field>
        <Field
          name="password"
          label="Password"
          errors={errors}
          autofocus={first === "password"}
          hint="At least 8 characters. A long phrase you can remember is best."
        >
          {(a) => <input {...a} type="password" autocomplete="new-password" required minlength={8} />}
        </Field>
        <button type="submit">Create account</button>
      </form>
      <p>
        Already registered? <a href="/login">Sign in</a>
      </p>
    </section>
  );
}
