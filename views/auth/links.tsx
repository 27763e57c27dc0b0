import type { I18n, MessageKey } from "../../src/i18n/translate.js";
import { useI18n, useT } from "../../src/i18n/view.js";
import { LINK_MINUTES, type LinkPurpose } from "../../src/users/links.js";
import { Csrf } from "../components/csrf.js";
import type { FieldErrors } from "../components/field.js";
import { ErrorSummary, InputField, NewPasswordField } from "../components/field.js";
import { PostForm } from "../components/post-form.js";

// The pages of sign-in links and password resets: ask for a link, "check your email", confirm,
// choose a new password, and the link that no longer works.

const ASK = {
  signin: { title: "links.signinTitle", lead: "links.signinLead", action: "/login/link" },
  reset: { title: "links.resetTitle", lead: "links.resetLead", action: "/password/forgot" },
} as const satisfies Record<LinkPurpose, { title: MessageKey; lead: MessageKey; action: string }>;

export const askTitle = (t: I18n["t"], purpose: LinkPurpose) => t(ASK[purpose].title);

export function AskLinkPage({
  purpose,
  email,
  errors,
}: {
  purpose: LinkPurpose;
  email?: string;
  errors?: FieldErrors;
}) {
  const t = useT();
  const ask = ASK[purpose];
  const id = `ask-${purpose}`;
  return (
    <section class="narrow" id={id}>
      <h1>{t(ask.title)}</h1>
      <p>{t(ask.lead)}</p>
      <ErrorSummary errors={errors} labels={{ email: t("login.email") }} />
      <PostForm action={ask.action} target={id}>
        <InputField
          name="email"
          label={t("login.email")}
          errors={errors}
          type="email"
          autocomplete="email"
          value={email}
          required
        />
        <button type="submit">{t("links.submit")}</button>
      </PostForm>
      <p>
        <a href="/login">{t("links.backToSignIn")}</a>
      </p>
    </section>
  );
}

/** The same answer whether or not the address has an account. */
export function LinkSentPage({ purpose, email, minutes }: { purpose: LinkPurpose; email: string; minutes: number }) {
  const { t, rich } = useI18n();
  return (
    <section class="narrow" id={`ask-${purpose}`}>
      <h1>{t("links.sentTitle")}</h1>
      <p role="status">{rich("links.sent", { email, minutes, strong: (s) => <strong>{s}</strong> })}</p>
      <p>{rich("links.nothing", { link: (s) => <a href={ASK[purpose].action}>{s}</a> })}</p>
      <p>
        <a href="/login">{t("links.backToSignIn")}</a>
      </p>
    </section>
  );
}

/**
 * Opening a sign-in link asks for one click: mail scanners that fetch every link in a message
 * would otherwise use it up before the person does.
 */
export function ConfirmSignInPage({ token, name }: { token: string; name: string }) {
  const t = useT();
  return (
    <section class="narrow">
      <h1>{t("links.confirmTitle", { name })}</h1>
      <form method="post" action="/login/link/open" data-hx-boost="false">
        <Csrf />
        <input type="hidden" name="token" value={token} />
        <button type="submit">{t("login.submit")}</button>
      </form>
      <p>{t("links.sharedComputer")}</p>
    </section>
  );
}

export function ResetPasswordPage({ token, name, errors }: { token: string; name: string; errors?: FieldErrors }) {
  const t = useT();
  return (
    <section class="narrow" id="reset">
      <h1>{t("links.resetPasswordTitle")}</h1>
      <p>{t("links.resetFor", { name })}</p>
      <ErrorSummary errors={errors} labels={{ password: t("password.new") }} />
      <PostForm action="/password/reset" target="reset">
        <input type="hidden" name="token" value={token} />
        <NewPasswordField name="password" label={t("password.new")} errors={errors} />
        <button type="submit">{t("links.saveNewPassword")}</button>
      </PostForm>
    </section>
  );
}

export function LinkGonePage({ purpose }: { purpose: LinkPurpose }) {
  const { t, rich } = useI18n();
  return (
    <section class="narrow">
      <h1>{t("links.goneTitle")}</h1>
      <p>{t("links.gone", { minutes: LINK_MINUTES })}</p>
      <p>
        {rich("links.goneWays", {
          ask: (s) => <a href={ASK[purpose].action}>{s}</a>,
          signin: (s) => <a href="/login">{s}</a>,
        })}
      </p>
    </section>
  );
}
