import type { Child } from "hono/jsx";
import { PriorityBadge, StatusBadge } from "../components/badges.js";
import { Highlight } from "../components/highlight.js";
import { Time } from "../components/time.js";
import type { ListedTicket } from "../../src/tickets/list.js";

export type ResultsProps = {
  tickets: ListedTicket[];
  nextUrl?: string;
  /** On a later page: the first one. */
  firstUrl?: string;
  /** The queue shows who asked and who answers. */
  staffColumns?: boolean;
  empty: Child;
};

/** Where a search found a ticket when not in its subject. */
const FOUND_IN = { description: "In the description:", reply: "In a reply:", note: "In an internal note:" };

export function TicketRows({ tickets, staffColumns }: Pick<ResultsProps, "tickets" | "staffColumns">) {
  return (
    <>
      {tickets.map((t) => (
        <tr>
          <td>#{t.id}</td>
          <td>
            <a href={`/tickets/${t.id}`} dir="auto">
              <Highlight text={t.subject} q={t.found?.q} />
            </a>
            {t.found?.excerpt && (
              <p class="found">
                <span class="found-in">{FOUND_IN[t.found.in!]}</span>{" "}
                <span dir="auto">
                  <Highlight text={t.found.excerpt} q={t.found.q} />
                </span>
              </p>
            )}
          </td>
          <td>
            <PriorityBadge priority={t.priority} />
          </td>
          <td>
            <StatusBadge status={t.status} />
          </td>
          {staffColumns && (
            <td class="optional">
              <bdi>{t.requester?.name}</bdi>
              {t.guest && <span class="badge guest">guest</span>}
            </td>
          )}
          {staffColumns && <td class="optional">{t.assignee ? <bdi>{t.assignee.name}</bdi> : "Unassigned"}</td>}
          <td class="optional">
            <Time date={t.updatedAt} />
          </td>
        </tr>
      ))}
    </>
  );
}

/**
 * "Next page" is a plain link; with htmx it appends the next rows here instead. A later page
 * reached without JavaScript offers the first page again (keyset pages have no numbers).
 */
export function Pager({ nextUrl, firstUrl, oob }: { nextUrl?: string; firstUrl?: string; oob?: boolean }) {
  return (
    <nav id="pager" class="pager" aria-label="More tickets" data-hx-swap-oob={oob ? "true" : undefined}>
      {firstUrl && <a href={firstUrl}>First page</a>}{" "}
      {nextUrl && (
        <a
          href={nextUrl}
          data-hx-get={nextUrl}
          data-hx-target="#ticket-rows"
          data-hx-swap="beforeend"
          data-hx-push-url="false"
          rel="next"
        >
          Next page of tickets
        </a>
      )}
    </nav>
  );
}

export function TicketResults({ tickets, nextUrl, firstUrl, staffColumns, empty }: ResultsProps) {
  return (
    <div id="ticket-results">
      {tickets.length === 0 ? (
        empty
      ) : (
        <div class="table-scroll" role="region" aria-label="Tickets" tabindex={0}>
          <table>
            <caption class="visually-hidden">Tickets</caption>
            <thead>
              <tr>
                <th scope="col">Number</th>
                <th scope="col">Subject</th>
                <th scope="col">Priority</th>
                <th scope="col">Status</th>
                {staffColumns && (
                  <th scope="col" class="optional">
                    Requester
                  </th>
                )}
                {staffColumns && (
                  <th scope="col" class="optional">
                    Assignee
                  </th>
                )}
                <th scope="col" class="optional">
                  Updated
                </th>
              </tr>
            </thead>
            <tbody id="ticket-rows">
              <TicketRows tickets={tickets} staffColumns={staffColumns} />
            </tbody>
          </table>
        </div>
      )}
      <Pager nextUrl={nextUrl} firstUrl={firstUrl} />
    </div>
  );
}
