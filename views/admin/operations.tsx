import { formatSize } from "../../src/attachments/names.js";
import { useT } from "../../src/i18n/view.js";
import type { Operations } from "../../src/operations.js";
import { Time } from "../components/time.js";

/** The operator's view: one list of facts, each with where to act on it. */
export function OperationsPage({ ops, metrics }: { ops: Operations; metrics: { token?: string; allow: string[] } }) {
  const t = useT();
  const open = Object.values(ops.tickets).reduce((a, b) => a + b, 0);
  return (
    <section id="operations">
      <h1>{t("ops.title")}</h1>
      <dl class="facts">
        <dt>{t("ops.version")}</dt>
        <dd>{t("ops.versionLine", { version: ops.version, node: ops.node })}</dd>
        <dt>{t("ops.database")}</dt>
        <dd>
          {ops.provider === "sqlite" ? "SQLite" : "PostgreSQL"}
          {ops.databaseBytes !== null && `, ${formatSize(ops.databaseBytes)}`}
          {", "}
          {t("ops.tickets", { count: open })}
        </dd>
        {ops.diskFree !== null && (
          <>
            <dt>{t("ops.disk")}</dt>
            <dd>{formatSize(ops.diskFree)}</dd>
          </>
        )}
        <dt>{t("ops.mailOut")}</dt>
        <dd>
          {ops.sending ? t("ops.sending") : t("ops.keeping")}{" "}
          <a href="/admin/outbox?status=waiting">{t("ops.queued", { count: ops.outbox.waiting ?? 0 })}</a>
          {", "}
          <a href="/admin/outbox?status=failed">{t("ops.failed", { count: ops.outbox.failed ?? 0 })}</a>
          {ops.lastSent && (
            <>
              {". "}
              {t("ops.lastSent")} <Time date={ops.lastSent} />
            </>
          )}
        </dd>
        <dt>{t("ops.worker")}</dt>
        <dd>{t(ops.worker ? "ops.workerInside" : "ops.workerApart")}</dd>
        <dt>{t("ops.mailIn")}</dt>
        <dd>
          {!ops.incoming ? (
            t("ops.noImap")
          ) : ops.lastPoll ? (
            <>
              {t("ops.lastPoll")} <Time date={ops.lastPoll} />
            </>
          ) : (
            t("ops.neverPolled")
          )}
          {ops.lastPollError && (
            <>
              {" "}
              {t("ops.lastPollError")} <Time date={ops.lastPollError.at} />: {ops.lastPollError.message}
            </>
          )}{" "}
          <a href="/admin/inbox">{t("ops.inboxLog")}</a>
        </dd>
        <dt>{t("ops.sessions")}</dt>
        <dd>{t("ops.sessionsNow", { count: ops.sessions })}</dd>
        <dt>{t("ops.metrics")}</dt>
        <dd>{metrics.token || metrics.allow.length ? t("ops.metricsOn") : t("ops.metricsOff")}</dd>
      </dl>
    </section>
  );
}
