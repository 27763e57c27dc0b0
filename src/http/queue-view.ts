import { z } from "zod";
import { normaliseTag } from "../tags/tags.js";
import type { TicketFilters } from "../tickets/list.js";
import { DUE_FILTERS, PRIORITIES, SORTS } from "../tickets/model.js";
import type { Statuses } from "../tickets/statuses.js";
import { searchText, statusFilter } from "./forms.js";
import { parseId } from "./ids.js";

// A queue view is its query string: every filter and the sort, so a view can be bookmarked,
// shared, started at, and walked ticket by ticket ("Send and next").

export const queueQuery = z.object({
  q: searchText(),
  /** "active" (every status not of the closed kind) or one status by name. */
  status: statusFilter(),
  priority: z.enum(PRIORITIES).optional().catch(undefined),
  assignee: z
    .string()
    .refine((v) => v === "me" || v === "unassigned" || parseId(v) !== null)
    .optional()
    .catch(undefined),
  requester: searchText(),
  /** Who spoke last: "needed", the requester (the desk owes a reply); "answered", the desk. */
  reply: z.enum(["needed", "answered"]).optional().catch(undefined),
  /** Past the next due time, or past its at-risk share and not yet due, when the page is asked for. */
  due: z.enum(DUE_FILTERS).optional().catch(undefined),
  /** Tags, separated by commas: tickets with all of them. */
  tag: z.string().max(300).optional().catch(undefined),
  sort: z.enum(SORTS).optional().catch(undefined),
  cursor: z.string().max(40).optional().catch(undefined),
});
export type QueueQuery = z.infer<typeof queueQuery>;

/** "Printer, floor 2" -> ["printer", "floor 2"]: each as tags/tags.ts writes it, what cannot be a tag dropped, five at most. */
export function tagsOfQuery(value: string | undefined): string[] | undefined {
  const names = (value ?? "")
    .split(",")
    .map(normaliseTag)
    .flatMap((tag) => ("name" in tag ? [tag.name] : []));
  return names.length ? [...new Set(names)].slice(0, 5) : undefined;
}

/** The filters of a view for this agent (`me`), due states read at `now`, "active" by the kinds of `statuses`. */
export function filtersOf(query: QueueQuery, me: number, now: Date, statuses: Statuses): TicketFilters {
  const { assignee } = query;
  return {
    status: query.status,
    closed: statuses.ofKind("closed"),
    stopped: statuses.ofKind("waiting", "closed"),
    priority: query.priority,
    assigneeId: assignee === "me" ? me : assignee === "unassigned" ? null : assignee ? parseId(assignee)! : undefined,
    requesterMatch: query.requester,
    lastSpoke: query.reply === "needed" ? "requester" : query.reply === "answered" ? "staff" : undefined,
    due: query.due ? { filter: query.due, now } : undefined,
    tags: tagsOfQuery(query.tag),
    q: query.q,
    searchReplies: true,
    sort: query.sort,
  };
}

/** The filters of a queue view given as a URL ("/queue?status=active&sort=oldest"), or null for another list. */
export function filtersOfView(view: string, me: number, now: Date, statuses: Statuses): TicketFilters | null {
  const url = new URL(view, "http://hyperdesk.invalid");
  if (url.pathname !== "/queue") return null;
  return filtersOf(queryOfView(url.search), me, now, statuses);
}

/** A view's query string (as a form or a saved view sends it) read as the queue reads its URL: what is not a filter is dropped. */
export const queryOfView = (view: string): QueueQuery =>
  queueQuery.parse(Object.fromEntries(new URLSearchParams(view.slice(0, 1000))));
