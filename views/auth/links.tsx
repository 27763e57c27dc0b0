import { LINK_MINUTES, type LinkPurpose } from "../../src/users/links.js";
import { Csrf } from "../components/csrf.js";
import type { FieldErrors } from "../components/field.js";
import { ErrorSummary, InputField, NewPasswordField } from "../components/field.js";
import { PostForm } from "../components/post-form.js";

// The pages of sign-in links and password resets: ask for a link, "check your email", confirm,
// choose a new password, and the link that no longer works.

const ASK = {
  signin: {
    title: "Email me a sign-in link",
    lead: "Type the email address of your account. We send it a link that signs you in, no password needed.",
    action: "/login/link",
  },
  reset: {
    title: "Forgot your password?",
    lead: "Type the email address of your account. We send it a link to choose a new password.",
    action: "/password/forgot",
  },
} as const;

export const askTitle = (purpose: LinkPurpose) => ASK[purpose].title;

export function AskLinkPage({
  purpose,
  email,
  errors,
}: {
  purpose: LinkPurpose;
  email?: string;
  errors?: FieldErrors;
}) {
  const ask = ASK[purpose];
  const id = `ask-${purpose}`;
  return (
    <section class="narrow" id={id}>
      <h1>{ask.title}</h1>
      <p>{ask.lead}</p>
      <ErrorSummary errors={errors} labels={{ email: "Email" }} />
      <PostForm action={ask.action} target={id}>
        <InputField
          name="email"
          label="Email"
          errors={errors}
          type="email"
          autocomplete="email"
          value={email}
          required
        />
        <button type="submit">Email me a link</button>
      </PostForm>
      <p>
        <a href="/login">Back to sign in</a>
      </p>
    </section>
  );
}

/** The same answer whether or not the address has an account. */
export function LinkSentPage({ purpose, email, minutes }: { purpose: LinkPurpose; email: string; minutes: number }) {
  return (
    <section class="narrow" id={`ask-${purpose}`}>
      <h1>Check your email</h1>
      <p role="status">
        If an account uses <strong>{email}</strong>, a link is on its way to it. The link works once, for {minutes}{" "}
        minutes.
      </p>
      <p>
        Nothing after a few minutes? Look in the spam folder, check the address, or{" "}
        <a href={ASK[purpose].action}>ask for a new link</a>.
      </p>
      <p>
        <a href="/login">Back to sign in</a>
      </p>
    </section>
  );
}

/**
 * Opening a sign-in link asks for one click: mail scanners that fetch every link in a message
 * would otherwise use it up before the person does.
 */
export function ConfirmSignInPage({ token, name }: { token: string; name: string }) {
  return (
    <section class="narrow">
      <h1>Sign in as {name}?</h1>
      <form method="post" action="/login/link/open">
        <Csrf />
        <input type="hidden" name="token" value={token} />
        <button type="submit">Sign in</button>
      </form>
      <p>At a shared computer, remember to sign out when you are done.</p>
    </section>
  );
}

export function ResetPasswordPage({ token, name, errors }: { token: string; name: string; errors?: FieldErrors }) {
  return (
    <section class="narrow" id="reset">
      <h1>Choose a new password</h1>
      <p>For {name}. Saving it signs you out on every device.</p>
      <ErrorSummary errors={errors} labels={{ password: "New password" }} />
      <PostForm action="/password/reset" target="reset">
        <input type="hidden" name="token" value={token} />
        <NewPasswordField
          name="password"
          label="New password"
          errors={errors}
          hint="At least 8 characters. A long phrase you can remember is best."
        />
        <button type="submit">Save new password</button>
      </PostForm>
    </section>
  );
}

export function LinkGonePage({ purpose }: { purpose: LinkPurpose }) {
  return (
    <section class="narrow">
      <h1>This link no longer works</h1>
      <p>A link works once, for {LINK_MINUTES} minutes, and using one ends the older ones.</p>
      <p>
        <a href={ASK[purpose].action}>Ask for a new link</a> or <a href="/login">sign in</a>.
      </p>
    </section>
  );
}
