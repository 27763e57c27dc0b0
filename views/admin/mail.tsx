import { useT } from "../../src/i18n/view.js";
import { PostForm } from "../components/post-form.js";

type Props = {
  smtp: { host: string; port: number; user: string | null; tls: string } | null;
  from: { name: string; address: string };
  publicUrl?: string;
  worker: boolean;
  imap?: { host: string; user: string | null; folder: string; done: string; failed: string };
  trusted?: string;
  to: string;
  result?: { ok: boolean; answer: string };
  /** Whether closing emails ask "How did we do?" (survey/survey.ts). */
  survey: boolean;
};

/** /admin/mail: what the desk sends and receives mail with, and a test message to the admin. */
export function MailSetupPage(props: Props) {
  const t = useT();
  const { smtp, imap } = props;
  const notSet = t("mailSetup.notSet");
  return (
    <section id="mail-setup" aria-labelledby="mail-setup-title">
      <p class="meta">
        <a href="/admin/outbox">{t("outbox.title")}</a> · <a href="/admin/inbox">{t("nav.inbox")}</a>
      </p>
      <h1 id="mail-setup-title">{t("mailSetup.title")}</h1>
      <h2>{t("mailSetup.sending")}</h2>
      <dl class="facts">
        <dt>{t("mailSetup.server")}</dt>
        <dd dir="ltr">{smtp ? `${smtp.host}:${smtp.port}` : t("mailSetup.noSmtp")}</dd>
        {smtp && (
          <>
            <dt>{t("mailSetup.user")}</dt>
            <dd dir="ltr">{smtp.user ?? notSet}</dd>
            <dt>{t("mailSetup.tls")}</dt>
            <dd>
              {smtp.tls === "smtps"
                ? t("mailSetup.tlsSmtps")
                : smtp.tls === "starttls-required"
                  ? t("mailSetup.tlsRequired")
                  : t("mailSetup.tlsIfOffered")}
            </dd>
          </>
        )}
        <dt>{t("mailSetup.from")}</dt>
        <dd dir="ltr">{`${props.from.name} <${props.from.address}>`}</dd>
        <dt>{t("mailSetup.links")}</dt>
        <dd dir="ltr">{props.publicUrl ?? t("mailSetup.noPublicUrl")}</dd>
        <dt>{t("mailSetup.worker")}</dt>
        <dd>{props.worker ? t("mailSetup.workerHere") : t("mailSetup.workerElsewhere")}</dd>
      </dl>
      <h2>{t("mailSetup.receiving")}</h2>
      <dl class="facts">
        <dt>{t("mailSetup.server")}</dt>
        <dd dir="ltr">{imap ? imap.host : t("mailSetup.noImap")}</dd>
        {imap && (
          <>
            <dt>{t("mailSetup.user")}</dt>
            <dd dir="ltr">{imap.user ?? notSet}</dd>
            <dt>{t("mailSetup.folders")}</dt>
            <dd dir="ltr">
              {imap.folder} → {imap.done} / {imap.failed}
            </dd>
          </>
        )}
        <dt>{t("mailSetup.trusted")}</dt>
        <dd dir="ltr">{props.trusted ?? t("mailSetup.noTrusted")}</dd>
      </dl>
      <h2>{t("mailSetup.test")}</h2>
      <PostForm id="mail-test" action="/admin/mail/test" target="mail-setup">
        {props.result && (
          <div class={props.result.ok ? "notice" : "notice failed"} role="alert">
            <p>{props.result.ok ? t("mailSetup.sent", { to: props.to }) : t("mailSetup.failed")}</p>
            <p>
              {t("mailSetup.answer")} <code dir="ltr">{props.result.answer}</code>
            </p>
          </div>
        )}
        <p>{t("mailSetup.testLead", { to: props.to })}</p>
        <div class="actions">
          <button type="submit">{t("mailSetup.send")}</button>
        </div>
      </PostForm>
      <h2 id="survey-setting">{t("survey.settingTitle")}</h2>
      <p>{props.survey ? t("survey.settingOn") : t("survey.settingOff")}</p>
      <PostForm action="/admin/mail/survey" target="mail-setup">
        <input type="hidden" name="survey" value={props.survey ? "off" : "on"} />
        <button type="submit" class="secondary">
          {props.survey ? t("survey.turnOff") : t("survey.turnOn")}
        </button>
      </PostForm>
    </section>
  );
}
