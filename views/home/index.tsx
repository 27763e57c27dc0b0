import { useT } from "../../src/i18n/view.js";
export function HomePage({ guests }: { guests: boolean }) {
  const t = useT();
  return (
    <section class="home">
      <h1>{t("home.heading")}</h1>
      <p class="lead">{t("home.lead")}</p>
      <p class="actions">
        <a class="button" href="/login">
          {t("login.submit")}
        </a>
        <a class="button secondary" href="/register">
          {t("home.register")}
        </a>
      </p>
      {guests && (
        <div class="guest-start">
          <h2>{t("home.noAccount")}</h2>
          <p>{t("home.noAccountLead")}</p>
          <p class="actions">
            <a class="button" href="/guest">
              {t("guest.title")}
            </a>
            <a class="button secondary" href="/status">
              {t("home.check")}
            </a>
          </p>
        </div>
      )}
      <h2>{t("home.how")}</h2>
      <ol>
        <li>{t("home.step1")}</li>
        <li>{t("home.step2")}</li>
        <li>{t("home.step3")}</li>
      </ol>
    </section>
  );
}
