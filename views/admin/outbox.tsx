import type { OutboxMessageModel as OutboxMessage } from "../../src/db/prisma.js";
import type { MessageKey } from "../../src/i18n/translate.js";
import { useI18n, useT } from "../../src/i18n/view.js";
import { labelsIn } from "../../src/i18n/words.js";
import type { OutboxHeaders, OutboxStatus } from "../../src/mail/outbox.js";
import { Csrf } from "../components/csrf.js";
import { FilterCounts, OlderNewer } from "../components/filter-counts.js";
import { PostForm } from "../components/post-form.js";
import { Time } from "../components/time.js";

const STATUS_LABEL: Record<OutboxStatus, MessageKey> = {
  waiting: "outbox.waiting",
  sending: "outbox.sending",
  sent: "outbox.sent",
  failed: "outbox.failed",
  kept: "outbox.kept",
};

type Props = {
  rows: OutboxMessage[];
  counts: Record<OutboxStatus, number>;
  status?: OutboxStatus;
  olderUrl?: string;
  newestUrl?: string;
  sending: boolean;
};

function StatusCell({ row }: { row: OutboxMessage }) {
  const { t, rich } = useI18n();
  const label = STATUS_LABEL[row.status as OutboxStatus];
  return (
    <>
      <span class={`outbox-${row.status}`}>{label ? t(label) : row.status}</span>
      {row.attempts > 1 && <> {t("outbox.tries", { count: row.attempts })}</>}
      {row.status === "waiting" &&
        row.attempts > 0 &&
        rich("outbox.nextTry", { when: (<Time date={row.nextAttemptAt} />) as never })}
    </>
  );
}

/** One message's row; "Try again" on a failed one answers with the row itself. */
export function OutboxRow({ row }: { row: OutboxMessage }) {
  const t = useT();
  return (
    <tr id={`message-${row.id}`}>
      <td>
        <Time date={row.createdAt} />
      </td>
      <td>{row.toAddress}</td>
      <td>
        <a href={`/admin/outbox/${row.id}`} dir="auto">
          {row.subject}
        </a>
      </td>
      <td>
        <StatusCell row={row} />
        {row.lastError && <p class="error">{row.lastError}</p>}
      </td>
      <td>
        {row.status === "failed" && (
          <PostForm action={`/admin/outbox/${row.id}/retry`} target={`message-${row.id}`}>
            <button type="submit" class="secondary">
              {t("outbox.retry")}
            </button>
          </PostForm>
        )}
      </td>
    </tr>
  );
}

export function OutboxPage({ rows, counts, status, olderUrl, newestUrl, sending }: Props) {
  const t = useT();
  const labels = labelsIn(t, STATUS_LABEL);
  return (
    <section>
      <h1>{t("outbox.title")}</h1>
      <p>
        <a href="/admin/mail">{t("mailSetup.link")}</a>
      </p>
      {!sending && <p class="notice">{t("outbox.noSmtp")}</p>}
      <FilterCounts
        label={t("outbox.byStatus")}
        base="/admin/outbox"
        param="status"
        labels={labels}
        counts={counts}
        current={status}
      />
      {rows.length === 0 ? (
        <p class="empty">
          {t("outbox.none")}
          {status && (
            <>
              {" "}
              <a href="/admin/outbox">{t("outbox.showAll")}</a>
            </>
          )}
        </p>
      ) : (
        <table>
          <caption class="visually-hidden">{t("outbox.caption")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("outbox.written")}</th>
              <th scope="col">{t("outbox.to")}</th>
              <th scope="col">{t("inbox.subject")}</th>
              <th scope="col">{t("filter.status")}</th>
              <th scope="col">
                <span class="visually-hidden">{t("account.action")}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <OutboxRow row={row} />
            ))}
          </tbody>
        </table>
      )}
      <OlderNewer olderUrl={olderUrl} newestUrl={newestUrl} />
    </section>
  );
}

/** One message as it is (or was) sent: its headers and its plain-text part. */
export function OutboxMessagePage({ row, headers }: { row: OutboxMessage; headers: OutboxHeaders }) {
  const t = useT();
  return (
    <section>
      <p class="meta">
        <a href="/admin/outbox">{t("outbox.back")}</a>
      </p>
      <h1 dir="auto">{row.subject}</h1>
      <dl class="facts">
        <dt>{t("outbox.to")}</dt>
        <dd>{row.toAddress}</dd>
        <dt>{t("filter.status")}</dt>
        <dd>
          <StatusCell row={row} />
        </dd>
        {row.lastError && (
          <>
            <dt>{t("outbox.lastError")}</dt>
            <dd>{row.lastError}</dd>
          </>
        )}
        <dt>{t("outbox.written")}</dt>
        <dd>
          <Time date={row.createdAt} />
        </dd>
        {row.sentAt && (
          <>
            <dt>{t(row.status === "kept" ? "outbox.keptAt" : "outbox.sentAt")}</dt>
            <dd>
              <Time date={row.sentAt} />
            </dd>
          </>
        )}
        {row.ticketId && (
          <>
            <dt>{t("outbox.ticket")}</dt>
            <dd>
              <a href={`/tickets/${row.ticketId}`}>{t("list.ticketNumber", { id: row.ticketId })}</a>
            </dd>
          </>
        )}
        <dt>Message-ID</dt>
        <dd>
          <code>{row.messageId}</code>
        </dd>
        {headers.inReplyTo && (
          <>
            <dt>In-Reply-To</dt>
            <dd>
              <code>{headers.inReplyTo}</code>
            </dd>
          </>
        )}
        {headers.replyTo && (
          <>
            <dt>Reply-To</dt>
            <dd>
              <code>{headers.replyTo}</code>
            </dd>
          </>
        )}
      </dl>
      {row.status === "failed" && (
        <form method="post" action={`/admin/outbox/${row.id}/retry`}>
          <Csrf />
          <button type="submit">{t("outbox.retry")}</button>
        </form>
      )}
      <h2>{t("outbox.text")}</h2>
      <pre class="description" dir="auto">
        {row.text}
      </pre>
    </section>
  );
}
