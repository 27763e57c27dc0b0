// The words of a ticket, shared by the rules, the routes and the views.

import type { Statuses } from "./statuses.js";

export const PRIORITIES = ["Low", "Medium", "High", "Urgent"] as const;
/** The four statuses every desk has (statuses.ts: each its kind's default; a desk may add its own). */
export const STATUSES = ["Open", "In progress", "Waiting", "Closed"] as const;
export const SORTS = ["newest", "oldest", "updated", "priority", "due"] as const;
/** The queue's due-time filters: past the next due time, or past its at-risk share but not yet due. */
export const DUE_FILTERS = ["overdue", "risk"] as const;
export type DueFilter = (typeof DUE_FILTERS)[number];
export type Priority = (typeof PRIORITIES)[number];
/** A status by name: one of the four, or one of the desk's own (statuses.ts). */
export type Status = string;
/** What a list can filter on: one status, or "active", every ticket whose status is not of the closed kind. */
export type StatusFilter = "active" | Status;
export type Sort = (typeof SORTS)[number];
export const PAGE_SIZE = 25;

/** Closing (into any status of the closed kind) stamps the time it happened; leaving the closed kind clears it. */
export const statusData = (status: Status, from: Status, now: Date, statuses: Statuses) => {
  const closed = statuses.isClosed(status);
  return closed === statuses.isClosed(from) ? { status } : { status, closedAt: closed ? now : null };
};

/** A ticket's service clock, as the SLA subscriber (sla/) writes it and the pages read it. */
export type ServiceClock = {
  firstResponseDueAt: Date | null;
  resolutionDueAt: Date | null;
  firstResponseAt: Date | null;
  slaPausedAt: Date | null;
  slaPausedMinutes: number;
  nextDueAt: Date | null;
  nextRiskAt: Date | null;
};
