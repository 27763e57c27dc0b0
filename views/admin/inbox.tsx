import type { InboundMessageModel as InboundMessage } from "../../src/db/prisma.js";
import { FilterCounts, OlderNewer } from "../components/filter-counts.js";
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
  return (
    <section>
      <h1>Incoming mail</h1>
      {!receiving && (
        <p class="notice">
          No mailbox is polled (IMAP_URL). Mail reaches the desk only if your mail server pipes it to{" "}
          <code>npm run mail:receive</code>.
        </p>
      )}
      <FilterCounts
        label="Incoming mail by outcome"
        base="/admin/inbox"
        param="outcome"
        labels={INBOX_OUTCOMES}
        counts={counts}
        current={outcome}
      />
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
      <OlderNewer olderUrl={olderUrl} newestUrl={newestUrl} noun="mail" />
    </section>
  );
}
