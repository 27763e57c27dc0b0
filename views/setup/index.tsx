import { Csrf } from "../components/csrf.js";
import { ErrorSummary, InputField, NewPasswordField, type FieldErrors } from "../components/field.js";

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
  const field = (name: string) => ({ name, errors });
  return (
    <section class="narrow" id="setup">
      <h1>Create the first admin</h1>
      <p>This link works once. The account you create here can make other people agents and admins.</p>
      <ErrorSummary errors={errors} labels={LABELS} />
      <form method="post" action="/setup" novalidate>
        <Csrf />
        <input type="hidden" name="token" value={token} />
        <InputField {...field("name")} label="Your name" type="text" autocomplete="name" value={values.name} required />
        <InputField {...field("email")} label="Email" type="email" autocomplete="email" value={values.email} required />
        <NewPasswordField {...field("password")} hint="At least 8 characters." />
        <button type="submit">Create admin account</button>
      </form>
    </section>
  );
}
