import { useT } from "../../src/i18n/view.js";
export function ErrorPage({ title, message, requestId }: { title: string; message: string; requestId?: string }) {
  const t = useT();
  return (
    <section class="error-page" id="error">
      <h1>{title}</h1>
      <p>{message}</p>
      {requestId && (
        <p class="hint">
          {t("error.reference")} <code>{requestId}</code>
        </p>
      )}
      <p>
        <a href="/tickets">{t("error.toTickets")}</a>
      </p>
    </section>
  );
}
