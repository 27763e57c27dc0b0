import { useT } from "../../src/i18n/view.js";
import { Checkboxes } from "../components/checkboxes.js";
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
      <h2>{t("signInAdmin.withoutTitle", { count: without.length })}</h2>
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

export function SignInSettingsPage(props: Parameters<typeof SignInSettingsForm>[0]) {
  const t = useT();
  return (
    <section>
      <h1>{t("signInAdmin.title")}</h1>
      <p>{t("signInAdmin.lead")}</p>
      <SignInSettingsForm {...props} />
    </section>
  );
}
