import { listUrl } from "../../src/http/lists.js";
import { useI18n, useT } from "../../src/i18n/view.js";
import type { ListedTicket } from "../../src/tickets/list.js";
import { SearchForm } from "../components/search-form.js";
import { SelectField, statusFilterOptions } from "../components/select.js";
import { useStatuses } from "../components/statuses.js";
import { ExportLink, TicketResults } from "./_results.js";

export type ListQuery = { q?: string; status?: string };

/** What an empty list says: with a search or filter, that nothing matches and the way back to all. */
export function EmptyState({ query }: { query: ListQuery }) {
  const { rich } = useI18n();
  const filtered = Boolean(query.q || query.status);
  return (
    <div class="empty">
      {filtered ? (
        <p>{rich("list.noMatch", { link: (s) => <a href="/tickets">{s}</a> })}</p>
      ) : (
        <p>{rich("list.none", { link: (s) => <a href="/tickets/new">{s}</a> })}</p>
      )}
    </div>
  );
}

export function TicketsPage({
  tickets,
  nextUrl,
  firstUrl,
  query,
}: {
  tickets: ListedTicket[];
  nextUrl?: string;
  firstUrl?: string;
  query: ListQuery;
}) {
  const t = useT();
  return (
    <section>
      <div class="actions">
        <h1>{t("list.title")}</h1>
        <a class="button" href="/tickets/new">
          {t("list.new")}
        </a>
      </div>
      <SearchForm action="/tickets" results="ticket-results" q={query.q} submit={t("filter.search")}>
        <SelectField
          id="status"
          label={t("filter.status")}
          value={query.status}
          options={statusFilterOptions(t, useStatuses())}
        />
      </SearchForm>
      <TicketResults tickets={tickets} nextUrl={nextUrl} firstUrl={firstUrl} empty={<EmptyState query={query} />} />
      {tickets.length > 0 && (
        <ExportLink href={listUrl("/tickets/export.csv", { q: query.q, status: query.status })} mine />
      )}
    </section>
  );
}
