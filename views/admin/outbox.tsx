import type { OutboxMessageModel as OutboxMessage } from "../../src/db/prisma.js";
import type { OutboxHeaders, OutboxStatus } from "../../src/mail/outbox.js";
import { Csrf } from "../components/csrf.js";
import { PostForm } from "../components/post-form.js";
import { FilterCounts, OlderNewer } from "../components/filter-counts.js";
import { Time } from "../components/time.js";

const STATUS_LABEL: Record<OutboxStatus, string> = {
  waiting: "Waiting",
  sending: "Sending",
  sent: "Sent",
  failed: "Failed",
  kept: "Kept, not sent",
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
  return (
    <>
      <span class={`outbox-${row.status}`}>{STATUS_LABEL[row.status as OutboxStatus] ?? row.status}</span>
      {row.attempts > 1 && <> after {row.attempts} tries</>}
      {row.status === "waiting" && row.attempts > 0 && (
        <>
          , next try <Time date={row.nextAttemptAt} />
        </>
      )}
    </>
  );
}

/** One message's row; "Try again" on a failed one answers with the row itself. */
export function OutboxRow({ row }: { row: OutboxMessage }) {
  return (
    <tr id={`message-${row.id}`}>
      <td>
        <Time date={row.createdAt} />
      </td>
      <td>{row.toAddress}</td>
      <td>
        <a href={`/admin/outbox/${row.id}`}>{row.subject}</a>
      </td>
      <td>
        <StatusCell row={row} />
        {row.lastError && <p class="error">{row.lastError}</p>}
      </td>
      <td>
        {row.status === "failed" && (
          <PostForm action={`/admin/outbox/${row.id}/retry`} target={`message-${row.id}`}>
            <button type="submit" class="secondary">
              Try again
            </button>
          </PostForm>
        )}
      </td>
    </tr>
  );
}

export function OutboxPage({ rows, counts, status, olderUrl, newestUrl, sending }: Props) {
  return (
    <section>
      <h1>Outbox</h1>
      {!sending && (
        <p class="notice">
          No SMTP server is set (SMTP_URL), so email is not sent: each message is kept here, where you can read it.
        </p>
      )}
      <FilterCounts
        label="Messages by status"
        base="/admin/outbox"
        param="status"
        labels={STATUS_LABEL}
        counts={counts}
        current={status}
      />
      {rows.length === 0 ? (
        <p class="empty">No messages here.{status && <a href="/admin/outbox"> Show all messages</a>}</p>
      ) : (
        <table>
          <caption class="visually-hidden">Email messages, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Written</th>
              <th scope="col">To</th>
              <th scope="col">Subject</th>
              <th scope="col">Status</th>
              <th scope="col">
                <span class="visually-hidden">Action</span>
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
      <OlderNewer olderUrl={olderUrl} newestUrl={newestUrl} noun="messages" />
    </section>
  );
}

/** One message as it is (or was) sent: its headers and its plain-text part. */
export function OutboxMessagePage({ row, headers }: { row: OutboxMessage; headers: OutboxHeaders }) {
  return (
    <section>
      <p class="meta">
        <a href="/admin/outbox">Back to the outbox</a>
      </p>
      <h1>{row.subject}</h1>
      <dl class="facts">
        <dt>To</dt>
        <dd>{row.toAddress}</dd>
        <dt>Status</dt>
        <dd>
          <StatusCell row={row} />
        </dd>
        {row.lastError && (
          <>
            <dt>Last error</dt>
            <dd>{row.lastError}</dd>
          </>
        )}
        <dt>Written</dt>
        <dd>
          <Time date={row.createdAt} />
        </dd>
        {row.sentAt && (
          <>
            <dt>{row.status === "kept" ? "Kept" : "Sent"}</dt>
            <dd>
              <Time date={row.sentAt} />
            </dd>
          </>
        )}
        {row.ticketId && (
          <>
            <dt>Ticket</dt>
            <dd>
              <a href={`/tickets/${row.ticketId}`}>#{row.ticketId}</a>
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
          <button type="submit">Try again</button>
        </form>
      )}
      <h2>Text</h2>
      <pre class="description" dir="auto">
        {row.text}
      </pre>
    </section>
  );
}
