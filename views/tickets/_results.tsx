import type { Child } from "hono/jsx";
import { useT } from "../../src/i18n/view.js";
import type { ListedTicket } from "../../src/tickets/list.js";
import { PriorityBadge, StatusBadge } from "../components/badges.js";
import { DueBadge } from "../components/due.js";
import { Highlight } from "../components/highlight.js";
import { useStatuses } from "../components/statuses.js";
import { Time } from "../components/time.js";

export type ResultsProps = {
  tickets: ListedTicket[];
  nextUrl?: string;
  /** On a later page: the first one. */
  firstUrl?: string;
  /** The queue shows who asked and who answers. */
  staffColumns?: boolean;
  /** The queue's bulk form: a box on each row, ticked when this says so. */
  picked?: (id: number) => boolean;
  empty: Child;
};

/** Where a search found a ticket when not in its subject. */
const FOUND_IN = { description: "list.foundDescription", reply: "list.foundReply", note: "list.foundNote" } as const;

export function TicketRows({
  tickets,
  staffColumns,
  picked,
}: Pick<ResultsProps, "tickets" | "staffColumns" | "picked">) {
  const t = useT();
  const statuses = useStatuses();
  return (
    <>
      {tickets.map((ticket) => (
        <tr>
          {picked && (
            <td class="pick">
              {/* The ticket and the version this page shows: bulk changes leave it be if it moved on since. */}
              <input
                type="checkbox"
                name="t"
                value={`${ticket.id}.${ticket.version}`}
                id={`pick-${ticket.id}`}
                checked={picked(ticket.id)}
                aria-label={t("bulk.pick", { id: ticket.id })}
              />
            </td>
          )}
          <td>{t("list.ticketNumber", { id: ticket.id })}</td>
          <td>
            <a href={`/tickets/${ticket.id}`} dir="auto">
              <Highlight text={ticket.subject} q={ticket.found?.q} />
            </a>
            {ticket.tags && ticket.tags.length > 0 && (
              <ul class="tag-list">
                {ticket.tags.map((name) => (
                  <li>
                    <span class="badge tag">{name}</span>
                  </li>
                ))}
              </ul>
            )}
            {ticket.found?.excerpt && (
              <p class="found">
                <span class="found-in">{t(FOUND_IN[ticket.found.in!])}</span>{" "}
                <span dir="auto">
                  <Highlight text={ticket.found.excerpt} q={ticket.found.q} />
                </span>
              </p>
            )}
          </td>
          <td>
            <PriorityBadge priority={ticket.priority} />
          </td>
          <td>
            <StatusBadge status={ticket.status} staff={Boolean(staffColumns)} />
            {staffColumns && ticket.lastSpoke === "requester" && !statuses.isClosed(ticket.status) && (
              <span class="badge needs-reply">{t("list.needsReply")}</span>
            )}
          </td>
          {staffColumns && (
            <td>
              <DueBadge ticket={ticket} />
            </td>
          )}
          {staffColumns && (
            <td class="optional">
              <bdi>{ticket.requester?.name}</bdi>
              {ticket.guest && (
                <>
                  {" "}
                  <span class="badge guest">{t("list.guest")}</span>
                </>
              )}
            </td>
          )}
          {staffColumns && (
            <td class="optional">{ticket.assignee ? <bdi>{ticket.assignee.name}</bdi> : t("list.unassigned")}</td>
          )}
          <td class="optional">
            <Time date={ticket.updatedAt} />
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
  const t = useT();
  return (
    <nav id="pager" class="pager" aria-label={t("list.more")} data-hx-swap-oob={oob ? "true" : undefined}>
      {firstUrl && <a href={firstUrl}>{t("list.firstPage")}</a>}{" "}
      {nextUrl && (
        <a
          href={nextUrl}
          data-hx-get={nextUrl}
          data-hx-target="#ticket-rows"
          data-hx-swap="beforeend"
          data-hx-push-url="false"
          rel="next"
        >
          {t("list.nextPage")}
        </a>
      )}
    </nav>
  );
}

export function TicketResults({ tickets, nextUrl, firstUrl, staffColumns, picked, empty }: ResultsProps) {
  const t = useT();
  return (
    <div id="ticket-results">
      {tickets.length === 0 ? (
        empty
      ) : (
        <div class="table-scroll" role="region" aria-label={t("list.tickets")} tabindex={0}>
          <table class="tickets">
            <caption class="visually-hidden">{t("list.tickets")}</caption>
            <thead>
              <tr>
                {picked && (
                  <th scope="col" class="pick">
                    <span class="visually-hidden">{t("bulk.column")}</span>
                  </th>
                )}
                <th scope="col">{t("list.number")}</th>
                <th scope="col">{t("list.subject")}</th>
                <th scope="col">{t("filter.priority")}</th>
                <th scope="col">{t("filter.status")}</th>
                {staffColumns && <th scope="col">{t("sla.column")}</th>}
                {staffColumns && (
                  <th scope="col" class="optional">
                    {t("list.requester")}
                  </th>
                )}
                {staffColumns && (
                  <th scope="col" class="optional">
                    {t("list.assignee")}
                  </th>
                )}
                <th scope="col" class="optional">
                  {t("list.updated")}
                </th>
              </tr>
            </thead>
            <tbody id="ticket-rows">
              <TicketRows tickets={tickets} staffColumns={staffColumns} picked={picked} />
            </tbody>
          </table>
        </div>
      )}
      <Pager nextUrl={nextUrl} firstUrl={firstUrl} />
    </div>
  );
}

/**
 * "Download as CSV": every ticket of the list as it is filtered, not only this page. A plain link
 * (htmx leaves it to the browser, which saves the file).
 */
export function ExportLink({ href, mine }: { href: string; mine?: boolean }) {
  const t = useT();
  return (
    <p class="export">
      <a href={href} download data-hx-boost="false">
        {t(mine ? "export.mine" : "export.link")}
      </a>
    </p>
  );
}
