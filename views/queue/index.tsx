import { PRIORITIES, SORTS, STATUSES, type ListedTicket } from "../../src/lib/tickets.js";
import { TicketResults } from "../tickets/_results.js";

export type QueueQuery = { q?: string; status?: string; priority?: string; assignee?: string; requester?: string; sort?: string };
export type StaffOption = { id: number; name: string };

const SORT_LABELS: Record<string, string> = { newest: "Newest first", oldest: "Oldest first", updated: "Recently updated", priority: "Priority (urgent first)" };

function queueUrl(query: QueueQuery, change: Partial<QueueQuery>) {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries({ ...query, ...change })) if (v) params.set(k, v);
  const s = params.toString();
  return s ? `/queue?${s}` : "/queue";
}

function Select({ id, label, value, options }: { id: string; label: string; value?: string; options: [string, string][] }) {
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <select id={id} name={id}>
        {options.map(([v, text]) => (
          <option value={v} selected={(value ?? "") === v}>
            {text}
          </option>
        ))}
      </select>
    </div>
  );
}

export function StatusCounts({ query, counts }: { query: QueueQuery; counts: Record<string, number> }) {
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  return (
    <ul class="counts" id="status-counts" aria-label="Tickets by status">
      <li>
        <a href={queueUrl(query, { status: undefined })} aria-current={!query.status ? "true" : undefined}>
          All: {total}
        </a>
      </li>
      {STATUSES.map((s) => (
        <li>
          <a href={queueUrl(query, { status: s })} aria-current={query.status === s ? "true" : undefined}>
            {s}: {counts[s] ?? 0}
          </a>
        </li>
      ))}
    </ul>
  );
}

export function QueueResults({ tickets, nextUrl, query, counts }: { tickets: ListedTicket[]; nextUrl?: string; query: QueueQuery; counts: Record<string, number> }) {
  return (
    <div id="queue-results">
      <StatusCounts query={query} counts={counts} />
      <TicketResults tickets={tickets} nextUrl={nextUrl} staffColumns empty={<p class="empty">No tickets match these filters.</p>} />
    </div>
  );
}

export function QueuePage(props: { tickets: ListedTicket[]; nextUrl?: string; query: QueueQuery; counts: Record<string, number>; staff: StaffOption[]; me: number }) {
  const { query, staff, me } = props;
  return (
    <section>
      <div class="actions">
        <h1>Queue</h1>
        <a href="/dashboard">Dashboard</a>
      </div>
      <form
        class="filters"
        method="get"
        action="/queue"
        role="search"
        data-hx-get="/queue"
        data-hx-target="#queue-results"
        data-hx-swap="outerHTML"
        data-hx-trigger="input changed delay:400ms, submit"
        data-hx-push-url="true"
      >
        <div class="field">
          <label for="q">Search</label>
          <input id="q" name="q" type="search" value={query.q ?? ""} maxlength={200} autocomplete="off" />
        </div>
        <Select id="status" label="Status" value={query.status} options={[["", "Any status"], ...STATUSES.map((s): [string, string] => [s, s])]} />
        <Select id="priority" label="Priority" value={query.priority} options={[["", "Any priority"], ...PRIORITIES.map((p): [string, string] => [p, p])]} />
        <Select
          id="assignee"
          label="Assignee"
          value={query.assignee}
          options={[["", "Anyone"], ["me", "Me"], ["unassigned", "Unassigned"], ...staff.filter((s) => s.id !== me).map((s): [string, string] => [String(s.id), s.name])]}
        />
        <div class="field">
          <label for="requester">Requester (name or email)</label>
          <input id="requester" name="requester" type="search" value={query.requester ?? ""} maxlength={200} autocomplete="off" />
        </div>
        <Select id="sort" label="Sort" value={query.sort ?? "newest"} options={SORTS.map((s): [string, string] => [s, SORT_LABELS[s]!])} />
        <button type="submit">Apply</button>
      </form>
      <QueueResults tickets={props.tickets} nextUrl={props.nextUrl} query={query} counts={props.counts} />
    </section>
  );
}
