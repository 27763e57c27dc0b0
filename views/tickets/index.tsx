import { STATUSES, type ListedTicket } from "../../src/lib/tickets.js";
import { TicketResults } from "./_results.js";

export type ListQuery = { q?: string; status?: string };

function EmptyState({ query }: { query: ListQuery }) {
  const filtered = Boolean(query.q || query.status);
  return (
    <div class="empty">
      {filtered ? (
        <p>
          No tickets match. <a href="/tickets">Show all your tickets</a>
        </p>
      ) : (
        <p>
          You have no tickets yet. When something is not working, <a href="/tickets/new">open a ticket</a> and we will answer here.
        </p>
      )}
    </div>
  );
}

export function TicketsPage({ tickets, nextUrl, query }: { tickets: ListedTicket[]; nextUrl?: string; query: ListQuery }) {
  return (
    <section>
      <div class="actions">
        <h1>My tickets</h1>
        <a class="button" href="/tickets/new">
          New ticket
        </a>
      </div>
      <form
        class="filters"
        method="get"
        action="/tickets"
        role="search"
        data-hx-get="/tickets"
        data-hx-target="#ticket-results"
        data-hx-swap="outerHTML"
        data-hx-trigger="input changed delay:400ms, submit"
        data-hx-push-url="true"
      >
        <div class="field">
          <label for="q">Search</label>
          <input id="q" name="q" type="search" value={query.q ?? ""} maxlength={200} autocomplete="off" />
        </div>
        <div class="field">
          <label for="status">Status</label>
          <select id="status" name="status">
            <option value="">Any status</option>
            {STATUSES.map((s) => (
              <option value={s} selected={query.status === s}>
                {s}
              </option>
            ))}
          </select>
        </div>
        <button type="submit">Search</button>
      </form>
      <TicketResults tickets={tickets} nextUrl={nextUrl} empty={<EmptyState query={query} />} />
    </section>
  );
}
