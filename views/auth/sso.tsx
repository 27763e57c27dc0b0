import { useT } from "../../src/i18n/view.js";

export type ProviderLink = { slug: string; name: string };

/** "Sign in with <name>": plain links (not boosted: they lead to another site). */
export function SsoLinks({ providers, next }: { providers: ProviderLink[]; next?: string }) {
  const t = useT();
  if (!providers.length) return null;
  const query = next ? `?${new URLSearchParams({ next })}` : "";
  return (
    <ul class="plain sso">
      {providers.map((p) => (
        <li>
          <a class="button secondary" href={`/login/sso/${p.slug}${query}`} data-hx-boost="false">
            {t("sso.signInWith", { name: p.name })}
          </a>
        </li>
      ))}
    </ul>
  );
}

/** Signing out at the provider too: the page goes there at once (meta refresh), or by its link. */
export function LeavingPage({ url }: { url: string }) {
  const t = useT();
  return (
    <section class="narrow">
      <h1>{t("sso.signingOutTitle")}</h1>
      <p>
        <a href={url}>{t("sso.signingOutLink")}</a>
      </p>
    </section>
  );
}

/** A single sign-on that could not finish: why, and the ways in that are left. */
export function SsoRefusedPage({ message, providerName }: { message: string; providerName: string }) {
  const t = useT();
  return (
    <section class="narrow">
      <h1>{t("sso.refusedTitle", { name: providerName })}</h1>
      <p role="alert">{message}</p>
      <p>
        <a href="/login">{t("sso.backToSignIn")}</a>
      </p>
    </section>
  );
}
