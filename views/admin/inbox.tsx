import type { InboundMessageModel as InboundMessage } from "../../src/db/prisma.js";
import { Time } from "../components/time.js";

export const INBOX_OUTCOMES = {
  created: "New ticket",
  replied: "Reply",
  noted: "Note for agents",
  ignored: "Ignored",
  failed: "Not taken",
} as const;
export type InboxOutcome = keyof typeof INBOX_OUTCOMES;

type Props = {
  rows: InboundMessage[];
  counts: Record<InboxOutcome, number>;
  outcome?: InboxOutcome;
  olderUrl?: string;
  newestUrl?: string;
  receiving: boolean;
};

/** Every email that came in and what became of it: above all what was ignored or not taken, and why. */
export function InboxPage({ rows, counts, outcome, olderUrl, newestUrl, receiving }: Props) {
  const all = Object.values(counts).reduce((a, b) => a + b, 0);
  return (
    <section>
      <h1>Incoming mail</h1>
      {!receiving && (
        <p class="notice">
          No mailbox is polled (IMAP_URL). Mail reaches the desk only if your mail server pipes it to{" "}
          <code>npm run mail:receive</code>.
        </p>
      )}
      <nav aria-label="Incoming mail by outcome">
        <ul class="counts">
          <li>
            <a href="/admin/inbox" aria-current={outcome ? undefined : "page"}>
              All <span class="count">{all}</span>
            </a>
          </li>
          {(Object.keys(INBOX_OUTCOMES) as InboxOutcome[]).map((o) => (
            <li>
              <a href={`/admin/inbox?outcome=${o}`} aria-current={outcome === o ? "page" : undefined}>
                {INBOX_OUTCOMES[o]} <span class="count">{counts[o]}</span>
              </a>
            </li>
          ))}
        </ul>
      </nav>
      {rows.length === 0 ? (
        <p class="empty">No mail here.</p>
      ) : (
        <table>
          <caption class="visually-hidden">Incoming mail, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Received</th>
              <th scope="col">From</th>
              <th scope="col">Subject</th>
              <th scope="col">What became of it</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr id={`inbound-${row.id}`}>
                <td>
                  <Time date={row.receivedAt} />
                </td>
                <td>{row.fromAddress || "(no sender)"}</td>
                <td dir="auto">{row.subject || "(no subject)"}</td>
                <td>
                  {INBOX_OUTCOMES[row.outcome as InboxOutcome] ?? row.outcome}
                  {row.ticketId && (
                    <>
                      {" "}
                      on <a href={`/tickets/${row.ticketId}`}>#{row.ticketId}</a>
                    </>
                  )}
                  {row.reason && <p class={row.outcome === "failed" ? "error" : "hint"}>{row.reason}</p>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {(olderUrl || newestUrl) && (
        <p class="pager">
          {newestUrl && <a href={newestUrl}>Newest mail</a>}{" "}
          {olderUrl && (
            <a href={olderUrl} rel="next">
              Older mail
            </a>
          )}
        </p>
      )}
    </section>
  );
}
