import { Csrf } from "../components/csrf.js";
import { ErrorSummary, Field, firstError, type FieldErrors } from "../components/field.js";

const LABELS = { name: "Name", email: "Email", password: "Password" };

export function SetupPage({
  token,
  values = {},
  errors,
}: {
  token: string;
  values?: { name?: string; email?: string };
  errors?: FieldErrors;
}) {
  const first = firstError(["name", "email", "password"], errors);
  return (
    <section class="narrow" id="setup">
      <h1>Create the first admin</h1>
      <p>This link works once. The account you create here can make other people agents and admins.</p>
      <ErrorSummary errors={errors} labels={LABELS} />
      <form method="post" action="/setup" novalidate>
        <Csrf />
        <input type="hidden" name="token" value={token} />
        <Field name="name" label="Your name" errors={errors} autofocus={first === "name"}>
          {(a) => <input {...a} type="text" autocomplete="name" value={values.name ?? ""} required />}
        </Field>
        <Field name="email" label="Email" errors={errors} autofocus={first === "email"}>
          {(a) => <input {...a} type="email" autocomplete="email" value={values.email ?? ""} required />}
        </Field>
        <Field
          name="password"
          label="Password"
          hint="At least 8 characters."
          errors={errors}
          autofocus={first === "password"}
        >
          {(a) => <input {...a} type="password" autocomplete="new-password" required minlength={8} />}
        </Field>
        <button type="submit">Create admin account</button>
      </form>
    </section>
  );
}
