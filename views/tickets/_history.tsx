import type { I18n } from "../../src/i18n/translate.js";
import { useT } from "../../src/i18n/view.js";
import { priorityLabel, statusLabel } from "../../src/i18n/words.js";
import type { TicketDetail } from "../../src/tickets/find.js";
import { Time } from "../components/time.js";

type EventRow = TicketDetail["events"][number];

/** One history event in words: "changed the status from Open to Waiting". */
export function describe(t: I18n["t"], e: EventRow): string {
  const status = (s: string | null) => statusLabel(t, s ?? "");
  const priority = (p: string | null) => priorityLabel(t, p ?? "");
  switch (e.kind) {
    case "created":
      return t("event.created", { priority: priority(e.toValue ?? "Medium") });
    case "status":
      return t("event.status", { from: status(e.fromValue), to: status(e.toValue) });
    case "priority":
      return t("event.priority", { from: priority(e.fromValue), to: priority(e.toValue) });
    case "assignee":
      return e.toValue ? t("event.assigned", { to: e.toValue }) : t("event.unassigned", { from: e.fromValue ?? "" });
    case "reply":
      return t("event.reply");
    case "note":
      return t("event.note");
    case "tag":
      return t("event.tag", { name: e.toValue ?? "" });
    case "untag":
      return t("event.untag", { name: e.fromValue ?? "" });
    case "claim":
      return e.toValue === "confirmed" ? t("event.claimConfirmed") : t("event.claimDeclined");
    case "merged":
      return t("event.merged", { ticket: `#${e.toValue}` });
    case "mergedIn":
      return t("event.mergedIn", { ticket: `#${e.fromValue}` });
    case "link":
      return t("event.link", { ticket: `#${e.toValue}` });
    case "unlink":
      return t("event.unlink", { ticket: `#${e.toValue}` });
    default:
      return e.kind;
  }
}

/** The other ticket an event names (a merge, a link), if it names one. */
const otherTicket = (e: EventRow) =>
  e.kind === "mergedIn" ? e.fromValue : ["merged", "link", "unlink"].includes(e.kind) ? e.toValue : null;

/** An event in words, the ticket it names a link to that ticket. */
export function EventWords({ event }: { event: EventRow }) {
  const t = useT();
  const words = describe(t, event);
  const other = otherTicket(event);
  const at = other ? words.indexOf(`#${other}`) : -1;
  if (at < 0) return <>{words}</>;
  return (
    <>
      {words.slice(0, at)}
      <a href={`/tickets/${other}`}>#{other}</a>
      {words.slice(at + other!.length + 1)}
    </>
  );
}

export function History({ events, oob }: { events: EventRow[]; oob?: boolean }) {
  const t = useT();
  return (
    <section id="history" aria-labelledby="history-title" data-hx-swap-oob={oob ? "true" : undefined}>
      <h2 id="history-title">{t("ticket.history")}</h2>
      <ol class="timeline">
        {events.map((e) => (
          <li>
            <Time date={e.createdAt} /> · <bdi>{e.actor.name}</bdi> <EventWords event={e} />
            {e.internal && ` ${t("ticket.internal")}`}
          </li>
        ))}
      </ol>
    </section>
  );
}
