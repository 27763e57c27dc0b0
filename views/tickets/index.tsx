import type { ListedTicket } from "../../src/tickets/list.js";
import { TicketResults } from "./_results.js";
import { SearchForm } from "../components/search-form.js";
import { SelectField, STATUS_FILTER_OPTIONS } from "../components/select.js";

export type ListQuery = { q?: string; status?: string };

/** What an empty list says: with a search or filter, that nothing matches and the way back to all. */
export function EmptyState({ query }: { query: ListQuery }) {
  const filtered = Boolean(query.q || query.status);
  return (
    <div class="empty">
      {filtered ? (
        <p>
          No tickets match. <a href="/tickets">Show all your tickets</a>
        </p>
      ) : (
        <p>
          You have no tickets yet. When something is not working, <a href="/tickets/new">open a ticket</a> and we will
          answer here.
        </p>
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
  return (
    <section>
      <div class="actions">
        <h1>My tickets</h1>
        <a class="button" href="/tickets/new">
          New ticket
        </a>
      </div>
      <SearchForm action="/tickets" results="ticket-results" q={query.q} submit="Search">
        <SelectField id="status" label="Status" value={query.status} options={STATUS_FILTER_OPTIONS} />
      </SearchForm>
      <TicketResults tickets={tickets} nextUrl={nextUrl} firstUrl={firstUrl} empty={<EmptyState query={query} />} />
    </section>
  );
}
