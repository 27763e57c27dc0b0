import { useRequestContext } from "hono/jsx-renderer";
import type { AppEnv } from "../../src/env.js";
import type { MessageKey } from "../../src/i18n/translate.js";
import { useI18n, useT } from "../../src/i18n/view.js";
import { priorityOptions, statusLabel } from "../../src/i18n/words.js";
import { COUNT_LIMIT, overLimit } from "../../src/tickets/count-limit.js";
import type { ListedTicket } from "../../src/tickets/list.js";
import { PRIORITIES, SORTS, type Sort } from "../../src/tickets/model.js";
import { DEFAULT_START_VIEW, isAdmin } from "../../src/users/authorization.js";
import type { FieldErrors } from "../components/field.js";
import { PostForm } from "../components/post-form.js";
import { SearchForm } from "../components/search-form.js";
import { SelectField, statusFilterOptions } from "../components/select.js";
import { useStatuses } from "../components/statuses.js";
import { ExportLink, TicketResults } from "../tickets/_results.js";
import { BulkForm, type BulkState, isPicked } from "./bulk.js";
import { SavedViewsNav, SaveViewForm, type ViewListed } from "./views.js";

export type QueueQuery = {
  q?: string;
  status?: string;
  priority?: string;
  assignee?: string;
  requester?: string;
  reply?: string;
  due?: string;
  tag?: string;
  sort?: string;
};
export type StaffOption = { id: number; name: string };

const SORT_LABELS = {
  newest: "queue.sortNewest",
  oldest: "queue.sortOldest",
  updated: "queue.sortUpdated",
  priority: "queue.sortPriority",
  due: "queue.sortDue",
} as const satisfies Record<Sort, MessageKey>;

function queueUrl(query: QueueQuery, change: Partial<QueueQuery>) {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries({ ...query, ...change })) if (v) params.set(k, v);
  const s = params.toString();
  return s ? `/queue?${s}` : "/queue";
}

const VIEW_KEYS = ["q", "status", "priority", "assignee", "requester", "reply", "due", "tag", "sort"] as const;

/** A queue view as a query string: its filters in a fixed order, never a page's cursor nor the default sort. */
export function viewOf(query: QueueQuery): string {
  const params = new URLSearchParams();
  for (const k of VIEW_KEYS) if (query[k] && !(k === "sort" && query[k] === "newest")) params.set(k, query[k]!);
  return params.toString();
}

/**
 * "Start here after signing in": the view on screen becomes where this agent lands (and where the
 * menu's Queue leads). Inside the results, so it follows the filters when htmx swaps them.
 */
export function StartViewForm({ view, saved }: { view: string; saved: string }) {
  const t = useT();
  const current = view === saved;
  return (
    <PostForm id="start-view" class="start-view" action="/queue/start" target="start-view">
      <input type="hidden" name="view" value={view} />
      {current ? (
        <p class="meta">
          {t("queue.startHere")}{" "}
          {saved !== DEFAULT_START_VIEW && (
            <button type="submit" name="reset" value="1" class="link">
              {t("queue.startOpen")}
            </button>
          )}
        </p>
      ) : (
        <button type="submit" class="secondary">
          {t("queue.startHereButton")}
        </button>
      )}
    </PostForm>
  );
}

/**
 * The status tabs, each with its count ("more than 1,000" past COUNT_LIMIT); a search that matches
 * too many to count shows the tabs alone, and says why.
 */
export function StatusCounts({ query, counts }: { query: QueueQuery; counts: Record<string, number> | null }) {
  const t = useT();
  const statuses = useStatuses();
  const all = statuses.names();
  // A count past COUNT_LIMIT stops there: a tab holding one says "more than 1,000".
  const sum = (statuses: readonly string[]) =>
    statuses.some((s) => overLimit(counts?.[s] ?? 0))
      ? COUNT_LIMIT + 1
      : statuses.reduce((n, s) => n + (counts?.[s] ?? 0), 0);
  const tab = (label: string, n: number) =>
    !counts
      ? label
      : overLimit(n)
        ? t("queue.tabOver", { label, count: COUNT_LIMIT })
        : t("queue.tab", { label, count: n });
  return (
    <div id="status-counts">
      <ul class="counts" aria-label={t("queue.byStatus")}>
        <li>
          <a href={queueUrl(query, { status: undefined })} aria-current={!query.status ? "true" : undefined}>
            {tab(t("filter.all"), sum(all))}
          </a>
        </li>
        <li>
          <a href={queueUrl(query, { status: "active" })} aria-current={query.status === "active" ? "true" : undefined}>
            {tab(t("filter.notClosed"), sum(statuses.ofKind("open", "progress", "waiting")))}
          </a>
        </li>
        {all.map((s) => (
          <li>
            <a href={queueUrl(query, { status: s })} aria-current={query.status === s ? "true" : undefined}>
              {tab(statusLabel(t, s), counts?.[s] ?? 0)}
            </a>
          </li>
        ))}
      </ul>
      {!counts && <p class="hint">{t("queue.tooMany", { limit: COUNT_LIMIT })}</p>}
    </div>
  );
}

export type QueueResultsProps = {
  tickets: ListedTicket[];
  nextUrl?: string;
  firstUrl?: string;
  query: QueueQuery & { cursor?: string };
  counts: Record<string, number> | null;
  /** The assignee choices (the filter's and the bulk form's). */
  staff: StaffOption[];
  me: number;
  /** The bulk form as it comes back: its choices, errors and ticked rows. */
  bulk?: BulkState;
  /** The "Save this view" form as it comes back (its name, its error). */
  saveView?: { values: Record<string, string>; errors: FieldErrors };
  /** The saved views in the queue's navigation (the whole page only). */
  views?: ViewListed[];
};

export function QueueResults({
  tickets,
  nextUrl,
  firstUrl,
  query,
  counts,
  staff,
  me,
  bulk,
  saveView,
}: QueueResultsProps) {
  const user = useRequestContext<AppEnv>().var.user;
  const { rich } = useI18n();
  const view = viewOf(query);
  const results = (
    <TicketResults
      tickets={tickets}
      nextUrl={nextUrl}
      firstUrl={firstUrl}
      staffColumns
      picked={tickets.length ? (id) => isPicked(bulk, id) : undefined}
      empty={<p class="empty">{rich("queue.noMatch", { link: (s) => <a href="/queue?status=active">{s}</a> })}</p>}
    />
  );
  return (
    <div id="queue-results">
      <StatusCounts query={query} counts={counts} />
      <StartViewForm view={view} saved={user?.startView || DEFAULT_START_VIEW} />
      <SaveViewForm view={view} admin={isAdmin(user)} values={saveView?.values} errors={saveView?.errors} />
      {tickets.length > 0 && <ExportLink href={`/queue/export.csv${view ? `?${view}` : ""}`} />}
      {tickets.length ? (
        <BulkForm
          view={view}
          cursor={query.cursor}
          staff={staff}
          me={me}
          state={bulk}
          allPicked={tickets.every((ticket) => isPicked(bulk, ticket.id))}
        >
          {results}
        </BulkForm>
      ) : (
        results
      )}
    </div>
  );
}

export function QueuePage(props: QueueResultsProps) {
  const { query, staff, me } = props;
  const t = useT();
  return (
    <section id="queue">
      <h1>{t("queue.title")}</h1>
      <SavedViewsNav views={props.views ?? []} current={viewOf(query)} />
      <SearchForm action="/queue" results="queue-results" q={query.q} submit={t("queue.apply")}>
        <SelectField
          id="status"
          label={t("filter.status")}
          value={query.status}
          options={statusFilterOptions(t, useStatuses())}
        />
        <SelectField
          id="priority"
          label={t("filter.priority")}
          value={query.priority}
          options={[["", t("queue.anyPriority")], ...priorityOptions(t, PRIORITIES)]}
        />
        <SelectField
          id="assignee"
          label={t("list.assignee")}
          value={query.assignee}
          options={[
            ["", t("queue.anyone")],
            ["me", t("queue.me")],
            ["unassigned", t("list.unassigned")],
            ...staff.filter((s) => s.id !== me).map((s) => [String(s.id), s.name] as const),
          ]}
        />
        <div class="field">
          <label for="requester">{t("queue.requester")}</label>
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
          id="reply"
          label={t("queue.reply")}
          value={query.reply}
          options={[
            ["", t("queue.replyAny")],
            ["needed", t("queue.replyNeeded")],
            ["answered", t("queue.replyAnswered")],
          ]}
        />
        <SelectField
          id="due"
          label={t("queue.due")}
          value={query.due}
          options={[
            ["", t("queue.dueAny")],
            ["overdue", t("queue.dueOverdue")],
            ["risk", t("queue.dueRisk")],
          ]}
        />
        <div class="field">
          <label for="tag">{t("queue.tag")}</label>
          <p id="tag-hint" class="hint">
            {t("queue.tagHint")}
          </p>
          <input
            id="tag"
            name="tag"
            type="search"
            value={query.tag ?? ""}
            maxlength={300}
            autocomplete="off"
            aria-describedby="tag-hint"
          />
        </div>
        <SelectField
          id="sort"
          label={t("queue.sort")}
          value={query.sort ?? "newest"}
          options={SORTS.map((s) => [s, t(SORT_LABELS[s])] as const)}
        />
      </SearchForm>
      <QueueResults {...props} />
    </section>
  );
}
