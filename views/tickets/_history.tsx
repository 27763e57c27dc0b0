import { Time } from "../components/time.js";
import type { TicketDetail } from "../../src/tickets/find.js";

type EventRow = TicketDetail["events"][number];

function describe(e: EventRow): string {
  switch (e.kind) {
    case "created":
      return `opened the ticket with ${e.toValue ?? "Medium"} priority`;
    case "status":
      return `changed the status from ${e.fromValue} to ${e.toValue}`;
    case "priority":
      return `changed the priority from ${e.fromValue} to ${e.toValue}`;
    case "assignee":
      return e.toValue ? `assigned the ticket to ${e.toValue}` : `unassigned the ticket (was ${e.fromValue})`;
    case "reply":
      return "replied";
    case "note":
      return "added an internal note";
    default:
      return e.kind;
  }
}

export function History({ events, oob }: { events: EventRow[]; oob?: boolean }) {
  return (
    <section id="history" aria-labelledby="history-title" data-hx-swap-oob={oob ? "true" : undefined}>
      <h2 id="history-title">History</h2>
      <ol class="timeline">
        {events.map((e) => (
          <li>
            <Time date={e.createdAt} /> · {e.actor.name} {describe(e)}
            {e.internal && " (internal)"}
          </li>
        ))}
      </ol>
    </section>
  );
}
