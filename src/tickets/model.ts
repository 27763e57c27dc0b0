// The words of a ticket, shared by the rules, the routes and the views.

export const PRIORITIES = ["Low", "Medium", "High", "Urgent"] as const;
export const STATUSES = ["Open", "In progress", "Waiting", "Closed"] as const;
/** What a list can filter on: one status, or "active", every ticket not closed (the work still to do). */
export const STATUS_FILTERS = ["active", ...STATUSES] as const;
export const SORTS = ["newest", "oldest", "updated", "priority", "due"] as const;
/** The queue's due-time filters: past the next due time, or past its at-risk share but not yet due. */
export const DUE_FILTERS = ["overdue", "risk"] as const;
export type DueFilter = (typeof DUE_FILTERS)[number];
export type Priority = (typeof PRIORITIES)[number];
export type Status = (typeof STATUSES)[number];
export type StatusFilter = (typeof STATUS_FILTERS)[number];
export type Sort = (typeof SORTS)[number];
export const PAGE_SIZE = 25;

/** Closing stamps the time it happened; any other status clears it. */
export const statusData = (status: Status, now: Date) => ({ status, closedAt: status === "Closed" ? now : null });

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
