import { useT } from "../../src/i18n/view.js";
import { Checkboxes } from "../components/checkboxes.js";
import type { FieldErrors } from "../components/field.js";
import { ErrorSummary, InputField } from "../components/field.js";
import { PostForm } from "../components/post-form.js";

export type StaffWithout = { id: number; name: string };

/** Whether agents and admins must sign in with a second factor, and who has not set one up. */
export function SignInSettingsForm({
  required,
  byEnvironment,
  without,
  notice,
}: {
  required: boolean;
  byEnvironment: boolean;
  without: StaffWithout[];
  /** Why the change was refused. */
  notice?: string;
}) {
  const t = useT();
  return (
    <div id="sign-in-settings">
      {notice && (
        <p class="notice" role="alert">
          {notice} <a href="/account/two-factor">{t("twoFactor.setUp")}</a>
        </p>
      )}
      {byEnvironment ? (
        <p>
          <strong>{t("signInAdmin.requiredByEnv")}</strong>
        </p>
      ) : (
        <PostForm action="/admin/sign-in" target="sign-in-settings">
          <Checkboxes
            legend={t("signInAdmin.legend")}
            name="require"
            idPrefix="require"
            options={[{ value: "staff", label: t("signInAdmin.requireStaff"), checked: required }]}
          />
          <p class="hint">{t("signInAdmin.hint")}</p>
          <button type="submit">{t("signInAdmin.save")}</button>
        </PostForm>
      )}
      <h3>{t("signInAdmin.withoutTitle", { count: without.length })}</h3>
      {without.length > 0 && (
        <ul>
          {without.map((p) => (
            <li>
              <a href={`/admin/users/${p.id}`} dir="auto">
                {p.name}
              </a>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

export function SignInSettingsPage({
  providers,
  ...props
}: Parameters<typeof SignInSettingsForm>[0] & { providers: Parameters<typeof ProvidersSection>[0] }) {
  const t = useT();
  return (
    <section>
      <h1>{t("signInAdmin.title")}</h1>
      <p>{t("signInAdmin.lead")}</p>
      <h2>{t("twoFactor.title")}</h2>
      <SignInSettingsForm {...props} />
      <ProvidersSection {...providers} />
    </section>
  );
}

export type ProviderRow = {
  id?: number;
  slug: string;
  name: string;
  issuer: string;
  clientId: string;
  createPeople: boolean;
  agentClaim: string | null;
  agentValue: string | null;
  trustMfa: boolean;
};

export type ProviderValues = Partial<Record<string, string>>;

/** The single sign-on providers, what to register at each, and the form that adds one. */
export function ProvidersSection({
  providers,
  envSlug,
  base,
  values = {},
  errors,
}: {
  providers: ProviderRow[];
  /** The provider set by OIDC_*: shown, not removable here. */
  envSlug?: string;
  /** The desk's public address, for the addresses to register at a provider. */
  base: string;
  values?: ProviderValues;
  errors?: FieldErrors;
}) {
  const t = useT();
  const labels = {
    name: t("ssoAdmin.name"),
    slug: t("ssoAdmin.slug"),
    issuer: t("ssoAdmin.issuer"),
    client_id: t("ssoAdmin.clientId"),
    client_secret: t("ssoAdmin.clientSecret"),
    agent_claim: t("ssoAdmin.agentClaim"),
    agent_value: t("ssoAdmin.agentValue"),
  };
  return (
    <div id="providers">
      <h2>{t("ssoAdmin.title")}</h2>
      <p>{t("ssoAdmin.lead")}</p>
      {providers.length === 0 ? (
        <p>{t("ssoAdmin.none")}</p>
      ) : (
        <ul class="plain provider-list">
          {providers.map((p) => (
            <li>
              <h3 dir="auto">{p.name}</h3>
              <dl class="facts">
                <dt>{labels.issuer}</dt>
                <dd>
                  <code>{p.issuer}</code>
                </dd>
                <dt>{labels.client_id}</dt>
                <dd>
                  <code>{p.clientId}</code>
                </dd>
                <dt>{t("ssoAdmin.redirectUri")}</dt>
                <dd>
                  <code>{`${base}/login/sso/${p.slug}/callback`}</code>
                </dd>
                <dt>{t("ssoAdmin.logoutUri")}</dt>
                <dd>
                  <code>{`${base}/login?signed-out`}</code>
                </dd>
                <dt>{t("ssoAdmin.newPeople")}</dt>
                <dd>{t(p.createPeople ? "ssoAdmin.createYes" : "ssoAdmin.createNo")}</dd>
                <dt>{t("ssoAdmin.agents")}</dt>
                <dd>
                  {p.agentClaim && p.agentValue
                    ? t("ssoAdmin.agentsWhen", { claim: p.agentClaim, value: p.agentValue })
                    : t("ssoAdmin.agentsNever")}
                </dd>
                <dt>{t("ssoAdmin.mfa")}</dt>
                <dd>{t(p.trustMfa ? "ssoAdmin.mfaTrusted" : "ssoAdmin.mfaOurs")}</dd>
              </dl>
              {p.slug === envSlug ? (
                <p class="hint">{t("ssoAdmin.fromEnv")}</p>
              ) : (
                <PostForm action={`/admin/sign-in/providers/${p.id}/delete`} target="providers">
                  <button
                    type="submit"
                    class="secondary"
                    data-hx-confirm={t("ssoAdmin.removeConfirm", { name: p.name })}
                    aria-label={t("ssoAdmin.removeLabel", { name: p.name })}
                  >
                    {t("ssoAdmin.remove")}
                  </button>
                </PostForm>
              )}
            </li>
          ))}
        </ul>
      )}
      <h3>{t("ssoAdmin.addTitle")}</h3>
      <ErrorSummary errors={errors} labels={labels} />
      <PostForm action="/admin/sign-in/providers" target="providers">
        <InputField
          name="name"
          label={labels.name}
          hint={t("ssoAdmin.nameHint")}
          errors={errors}
          type="text"
          value={values.name}
          required
          maxlength={60}
        />
        <InputField
          name="slug"
          label={labels.slug}
          hint={t("ssoAdmin.slugHint")}
          errors={errors}
          type="text"
          value={values.slug}
          required
          maxlength={40}
        />
        <InputField
          name="issuer"
          label={labels.issuer}
          hint={t("ssoAdmin.issuerHint")}
          errors={errors}
          type="text"
          value={values.issuer}
          required
          maxlength={500}
        />
        <InputField
          name="client_id"
          label={labels.client_id}
          errors={errors}
          type="text"
          value={values.client_id}
          required
          maxlength={500}
        />
        <InputField
          name="client_secret"
          label={labels.client_secret}
          errors={errors}
          type="password"
          autocomplete="off"
          required
          maxlength={1000}
        />
        <Checkboxes
          legend={t("ssoAdmin.options")}
          name="options"
          idPrefix="option"
          options={[
            { value: "create_people", label: t("ssoAdmin.createPeople"), checked: values.create_people === "on" },
            { value: "trust_mfa", label: t("ssoAdmin.trustMfa"), checked: values.trust_mfa === "on" },
          ]}
        />
        <InputField
          name="agent_claim"
          label={labels.agent_claim}
          hint={t("ssoAdmin.agentClaimHint")}
          errors={errors}
          type="text"
          value={values.agent_claim}
          maxlength={100}
        />
        <InputField
          name="agent_value"
          label={labels.agent_value}
          errors={errors}
          type="text"
          value={values.agent_value}
          maxlength={200}
        />
        <button type="submit">{t("ssoAdmin.add")}</button>
      </PostForm>
    </div>
  );
}
