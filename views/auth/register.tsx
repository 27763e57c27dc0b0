import type { FieldErrors } from "../components/field.js";
import { ErrorSummary, InputField, NewPasswordField } from "../components/field.js";
import { PostForm } from "../components/post-form.js";

export type RegisterForm = { name?: string; email?: string };

export function RegisterPage({ values = {}, errors }: { values?: RegisterForm; errors?: FieldErrors }) {
  const field = (name: string) => ({ name, errors });
  return (
    <section class="narrow" id="register">
      <h1>Create your account</h1>
      <ErrorSummary errors={errors} labels={{ name: "Name", email: "Email", password: "Password" }} />
      <PostForm action="/register" target="register">
        <InputField
          {...field("name")}
          label="Your name"
          type="text"
          autocomplete="name"
          value={values.name}
          required
          maxlength={100}
        />
        <InputField {...field("email")} label="Email" type="email" autocomplete="email" value={values.email} required />
        <NewPasswordField
          {...field("password")}
          hint="At least 8 characters. A long phrase you can remember is best."
        />
        <button type="submit">Create account</button>
      </PostForm>
      <p>
        Already registered? <a href="/login">Sign in</a>
      </p>
    </section>
  );
}
