import { EXPIRIES, SCOPES, type Scope, TOKEN_NAME_MAX, type TokenRow } from "../../src/api/tokens.js";
import { useT } from "../../src/i18n/view.js";
import { Csrf } from "../components/csrf.js";
import { Field, type FieldErrors } from "../components/field.js";
import { PostForm } from "../components/post-form.js";
import { SelectField } from "../components/select.js";
import { Time } from "../components/time.js";

export type TokenForm = { name?: string; scopes?: string[]; expires?: string };

type Props = {
  tokens: TokenRow[];
  /** Admins may give a token the admin scope. */
  admin: boolean;
  values?: TokenForm;
  errors?: FieldErrors;
  /** A token just made: shown this once. */
  made?: { name: string; token: string; example: string };
};

/**
 * /account/tokens: the person's API tokens (name, scopes, dates, where last used), each revocable;
 * a form to make one (name, scopes, expiry); a new token shown once, with how to use it.
 */
export function TokensPage({ tokens, admin, values, errors, made }: Props) {
  const t = useT();
  const scopeWords = (s: Scope) => t(`tokens.scope.${s}` as "tokens.scope.admin");
  const chosen = values?.scopes ?? ["tickets:read"];
  return (
    <section id="tokens" aria-labelledby="tokens-title">
      <p class="meta">
        <a href="/account">{t("account.title")}</a>
      </p>
      <h1 id="tokens-title">{t("tokens.title")}</h1>
      <p>{t("tokens.lead")}</p>
      {made && (
        <div class="notice" role="alert" id="new-token">
          <p>
            <strong>{t("tokens.made", { name: made.name })}</strong> {t("tokens.once")}
          </p>
          <p>
            <code dir="ltr" class="token">
              {made.token}
            </code>
          </p>
          <pre dir="ltr">{made.example}</pre>
        </div>
      )}
      <h2>{t("tokens.yours")}</h2>
      {tokens.length ? (
        <ul class="tokens">
          {tokens.map((k) => (
            <li>
              <strong>
                <bdi>{k.name}</bdi>
              </strong>{" "}
              · {k.scopes.map(scopeWords).join(", ")}
              <br />
              <span class="meta">
                {t("tokens.created")} <Time date={k.createdAt} /> ·{" "}
                {k.expiresAt ? (
                  <>
                    {t("tokens.expires")} <Time date={k.expiresAt} />
                  </>
                ) : (
                  t("tokens.noExpiry")
                )}{" "}
                ·{" "}
                {k.lastUsedAt ? (
                  <>
                    {t("tokens.lastUsed")} <Time date={k.lastUsedAt} /> <span dir="ltr">({k.lastUsedIp})</span>
                  </>
                ) : (
                  t("tokens.neverUsed")
                )}
              </span>{" "}
              <PostForm class="inline" action={`/account/tokens/${k.id}/revoke`} target="tokens">
                <button type="submit" class="link">
                  {t("tokens.revoke", { name: k.name })}
                </button>
              </PostForm>
            </li>
          ))}
        </ul>
      ) : (
        <p class="meta">{t("tokens.none")}</p>
      )}
      <h2>{t("tokens.new")}</h2>
      <form method="post" action="/account/tokens" novalidate>
        <Csrf />
        <Field name="name" label={t("tokens.name")} hint={t("tokens.nameHint")} errors={errors} autofocus>
          {(a11y) => <input {...a11y} type="text" maxlength={TOKEN_NAME_MAX} value={values?.name ?? ""} />}
        </Field>
        <fieldset
          class={errors?.scopes ? "invalid" : undefined}
          aria-describedby={errors?.scopes ? "scopes-error" : undefined}
        >
          <legend>{t("tokens.scopes")}</legend>
          {errors?.scopes && (
            <p id="scopes-error" class="error">
              {errors.scopes}
            </p>
          )}
          {SCOPES.filter((s) => admin || s !== "admin").map((s) => (
            <div class="check">
              <input
                type="checkbox"
                id={`scope-${s.replace(":", "-")}`}
                name="scopes"
                value={s}
                checked={chosen.includes(s)}
              />
              <label for={`scope-${s.replace(":", "-")}`}>{scopeWords(s)}</label>
            </div>
          ))}
        </fieldset>
        {errors?.expires && (
          <p id="expires-error" class="error">
            {errors.expires}
          </p>
        )}
        <SelectField
          id="expires"
          label={t("tokens.expiry")}
          value={values?.expires ?? "90"}
          options={EXPIRIES.map((d) => [String(d), d ? t("tokens.days", { count: d }) : t("tokens.never")] as const)}
        />
        <button type="submit">{t("tokens.make")}</button>
      </form>
    </section>
  );
}
