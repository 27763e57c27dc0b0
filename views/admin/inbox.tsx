import type { InboundMessageModel as InboundMessage } from "../../src/db/prisma.js";
import type { MessageKey } from "../../src/i18n/translate.js";
import { useI18n } from "../../src/i18n/view.js";
import { labelsIn } from "../../src/i18n/words.js";
import { FilterCounts, OlderNewer } from "../components/filter-counts.js";
import { Time } from "../components/time.js";

export const INBOX_OUTCOMES = {
  created: "inbox.created",
  replied: "inbox.replied",
  noted: "inbox.noted",
  ignored: "inbox.ignored",
  failed: "inbox.failed",
} as const satisfies Record<string, MessageKey>;
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
  const { t, rich } = useI18n();
  const outcomes = labelsIn<InboxOutcome>(t, INBOX_OUTCOMES);
  return (
    <section>
      <h1>{t("inbox.title")}</h1>
      {!receiving && <p class="notice">{rich("inbox.noPolling", { code: (s) => <code>{s}</code> })}</p>}
      <FilterCounts
        label={t("inbox.byOutcome")}
        base="/admin/inbox"
        param="outcome"
        labels={outcomes}
        counts={counts}
        current={outcome}
      />
      {rows.length === 0 ? (
        <p class="empty">{t("inbox.none")}</p>
      ) : (
        <table>
          <caption class="visually-hidden">{t("inbox.caption")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("inbox.received")}</th>
              <th scope="col">{t("inbox.from")}</th>
              <th scope="col">{t("inbox.subject")}</th>
              <th scope="col">{t("inbox.outcome")}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr id={`inbound-${row.id}`}>
                <td>
                  <Time date={row.receivedAt} />
                </td>
                <td>{row.fromAddress || t("inbox.noSender")}</td>
                <td dir="auto">{row.subject || t("inbox.noSubject")}</td>
                <td>
                  {outcomes[row.outcome as InboxOutcome] ?? row.outcome}
                  {row.ticketId && (
                    <>
                      {" "}
                      {rich("inbox.on", {
                        id: row.ticketId,
                        link: (s) => <a href={`/tickets/${row.ticketId}`}>{s}</a>,
                      })}
                    </>
                  )}
                  {row.reason && <p class={row.outcome === "failed" ? "error" : "hint"}>{row.reason}</p>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <OlderNewer olderUrl={olderUrl} newestUrl={newestUrl} />
    </section>
  );
}
