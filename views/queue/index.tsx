import { useRequestContext } from "hono/jsx-renderer";
import type { AppEnv } from "../../src/env.js";
import { DEFAULT_START_VIEW } from "../../src/lib/authorization.js";
import { PRIORITIES, SORTS, STATUSES } from "../../src/tickets/model.js";
import { PostForm } from "../components/post-form.js";
import { type ListedTicket, SEARCH_COUNT_LIMIT } from "../../src/tickets/list.js";
import { TicketResults } from "../tickets/_results.js";
import { SearchForm } from "../components/search-form.js";
import { same, SelectField, STATUS_FILTER_OPTIONS } from "../components/select.js";

export type QueueQuery = {
  q?: string;
  status?: string;
  priority?: string;
  assignee?: string;
  requester?: string;
  sort?: string;
};
export type StaffOption = { id: number; name: string };

const SORT_LABELS: Record<string, string> = {
  newest: "Newest first",
  oldest: "Oldest first",
  updated: "Recently updated",
  priority: "Priority (urgent first)",
};

function queueUrl(query: QueueQuery, change: Partial<QueueQuery>) {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries({ ...query, ...change })) if (v) params.set(k, v);
  const s = params.toString();
  return s ? `/queue?${s}` : "/queue";
}

const VIEW_KEYS = ["q", "status", "priority", "assignee", "requester", "sort"] as const;

/** A queue view as a query string: its filters in a fixed order, never a page's cursor. */
export function viewOf(query: QueueQuery): string {
  const params = new URLSearchParams();
  for (const k of VIEW_KEYS) if (query[k]) params.set(k, query[k]!);
  return params.toString();
}

/**
 * "Start here after signing in": the view on screen becomes where this agent lands (and where the
 * menu's Queue leads). Inside the results, so it follows the filters when htmx swaps them.
 */
export function StartViewForm({ view, saved }: { view: string; saved: string }) {
  const current = view === saved;
  return (
    <PostForm id="start-view" class="start-view" action="/queue/start" target="start-view">
      <input type="hidden" name="view" value={view} />
      {current ? (
        <p class="meta">
          You start at this view after signing in.{" "}
          {saved !== DEFAULT_START_VIEW && (
            <button type="submit" name="reset" value="1" class="link">
              Start at the open tickets instead
            </button>
          )}
        </p>
      ) : (
        <button type="submit" class="secondary">
          Start here after signing in
        </button>
      )}
    </PostForm>
  );
}

/** The status tabs, each with its count; a search that matches too many to count shows the tabs alone, and says why. */
export function StatusCounts({ query, counts }: { query: QueueQuery; counts: Record<string, number> | null }) {
  const total = counts && Object.values(counts).reduce((a, b) => a + b, 0);
  const count = (n: number) => (counts ? `: ${n}` : "");
  return (
    <div id="status-counts">
      <ul class="counts" aria-label="Tickets by status">
        <li>
          <a href={queueUrl(query, { status: undefined })} aria-current={!query.status ? "true" : undefined}>
            All{count(total ?? 0)}
          </a>
        </li>
        <li>
          <a href={queueUrl(query, { status: "active" })} aria-current={query.status === "active" ? "true" : undefined}>
            Not closed{count((total ?? 0) - (counts?.Closed ?? 0))}
          </a>
        </li>
        {STATUSES.map((s) => (
          <li>
            <a href={queueUrl(query, { status: s })} aria-current={query.status === s ? "true" : undefined}>
              {s}
              {count(counts?.[s] ?? 0)}
            </a>
          </li>
        ))}
      </ul>
      {!counts && (
        <p class="hint">
          More than {SEARCH_COUNT_LIMIT.toLocaleString("en")} tickets match this search, too many to count. Add a word
          or a filter to narrow it.
        </p>
      )}
    </div>
  );
}

export function QueueResults({
  tickets,
  nextUrl,
  firstUrl,
  query,
  counts,
}: {
  tickets: ListedTicket[];
  nextUrl?: string;
  firstUrl?: string;
  query: QueueQuery;
  counts: Record<string, number> | null;
}) {
  const user = useRequestContext<AppEnv>().var.user;
  return (
    <div id="queue-results">
      <StatusCounts query={query} counts={counts} />
      <StartViewForm view={viewOf(query)} saved={user?.startView || DEFAULT_START_VIEW} />
      <TicketResults
        tickets={tickets}
        nextUrl={nextUrl}
        firstUrl={firstUrl}
        staffColumns
        empty={
          <p class="empty">
            No tickets match these filters. <a href="/queue?status=active">Clear filters</a>
          </p>
        }
      />
    </div>
  );
}

export function QueuePage(props: {
  tickets: ListedTicket[];
  nextUrl?: string;
  firstUrl?: string;
  query: QueueQuery;
  counts: Record<string, number> | null;
  staff: StaffOption[];
  me: number;
}) {
  const { query, staff, me } = props;
  return (
    <section id="queue">
      <h1>Queue</h1>
      <SearchForm action="/queue" results="queue-results" q={query.q} submit="Apply">
        <SelectField id="status" label="Status" value={query.status} options={STATUS_FILTER_OPTIONS} />
        <SelectField
          id="priority"
          label="Priority"
          value={query.priority}
          options={[["", "Any priority"], ...same(PRIORITIES)]}
        />
        <SelectField
          id="assignee"
          label="Assignee"
          value={query.assignee}
          options={[
            ["", "Anyone"],
            ["me", "Me"],
            ["unassigned", "Unassigned"],
            ...staff.filter((s) => s.id !== me).map((s) => [String(s.id), s.name] as const),
          ]}
        />
        <div class="field">
          <label for="requester">Requester (name or email)</label>
          <input
            id="requester"
            name="requester"
            type="search"
            value={query.requester ?? ""}
            maxlength={200}
            autocomplete="off"
          />
        </div>
        <SelectField
          id="sort"
          label="Sort"
          value={query.sort ?? "newest"}
          options={SORTS.map((s) => [s, SORT_LABELS[s]!] as const)}
        />
      </SearchForm>
      <QueueResults
        tickets={props.tickets}
        nextUrl={props.nextUrl}
        firstUrl={props.firstUrl}
        query={query}
        counts={props.counts}
      />
    </section>
  );
}
