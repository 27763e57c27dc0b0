import type { Priority, ServiceClock } from "../tickets/model.js";
import { DEFAULT_STATUSES, type Statuses } from "../tickets/statuses.js";
import { addBusinessMinutes, businessMinutesBetween, dueAt } from "./calendar.js";
import type { Policy } from "./policy.js";

// A ticket's service clock after a change, from its row and the desk's policy. Pure: the SLA
// subscriber (sla/subscriber.ts) reads the row, calls this, and writes what it returns in the
// change's own transaction; the queue and the ticket page compare the stored times with the clock
// when they are read, so nothing polls.
//
// - Both targets count from the ticket's creation, in business minutes.
// - The clock stands still while the ticket waits on its requester and while it is closed; the
//   business minutes it stood still push each due time that was still running out by as much (a
//   target already missed when the pause began stays missed).
// - The first public answer from the desk meets the first-response target (met if it is not after
//   its due time, which then stays as it was); closing meets resolution; reopening resumes it.
// - A priority change recomputes the due times still open from the ticket's creation.

/** What the service clock reads of a ticket (a Prisma select). */
export const SLA_ROW = {
  status: true,
  priority: true,
  createdAt: true,
  firstResponseAt: true,
  firstResponseDueAt: true,
  resolutionDueAt: true,
  slaPausedAt: true,
  slaPausedMinutes: true,
} as const;

export type SlaRow = {
  status: string;
  priority: string;
  createdAt: Date;
  firstResponseAt: Date | null;
  firstResponseDueAt: Date | null;
  resolutionDueAt: Date | null;
  slaPausedAt: Date | null;
  slaPausedMinutes: number;
};

export type SlaFields = ServiceClock;

/**
 * The service fields of a ticket after a change at `now`. `answered`: the change is a public reply
 * from the desk (the first one meets the first-response target); `recompute`: the ticket is new or
 * its priority changed.
 */
export function slaFields(
  policy: Policy,
  row: SlaRow,
  change: { answered: boolean; recompute: boolean },
  now: Date,
  /** Which statuses stop the clock: those of the waiting and closed kinds (tickets/statuses.ts). */
  statuses: Pick<Statuses, "pauses"> = DEFAULT_STATUSES,
): SlaFields {
  const cal = policy.calendar;
  const target = policy.targets[row.priority as Priority] ?? { firstResponse: null, resolution: null };
  let pausedMinutes = row.slaPausedMinutes;
  let pausedAt = row.slaPausedAt;
  /** A due time still running when the pause began moves out by the pause; one already passed stays passed. */
  let shift = (due: Date | null) => due;
  const pausedNow = statuses.pauses(row.status);
  if (pausedAt && !pausedNow) {
    const since = pausedAt;
    const pause = businessMinutesBetween(cal, since, now);
    pausedMinutes += pause;
    pausedAt = null;
    shift = (due) => (due && pause > 0 && due > since ? addBusinessMinutes(cal, due, pause) : due);
  } else if (!pausedAt && pausedNow) pausedAt = now;

  const due = (minutes: number | null, share = 1) =>
    minutes === null ? null : dueAt(cal, row.createdAt, minutes * share, pausedMinutes);
  // New, or its priority changed (or it predates SLA): from its creation, every pause so far counted.
  const recompute = change.recompute || (row.firstResponseDueAt === null && row.resolutionDueAt === null);
  // A met first response keeps the due time it was met against (one reckoned before it was met).
  const firstResponseDueAt =
    row.firstResponseAt && row.firstResponseDueAt
      ? row.firstResponseDueAt
      : recompute
        ? due(target.firstResponse)
        : shift(row.firstResponseDueAt);
  const firstResponseAt = row.firstResponseAt ?? (change.answered ? now : null);
  const resolutionDueAt = recompute ? due(target.resolution) : shift(row.resolutionDueAt);

  // The nearest target still running, and when its at-risk share is used up.
  let nextDueAt: Date | null = null;
  let nextRiskAt: Date | null = null;
  if (!pausedAt) {
    const running = [
      { at: firstResponseAt ? null : firstResponseDueAt, minutes: target.firstResponse },
      { at: resolutionDueAt, minutes: target.resolution },
    ].filter((t): t is { at: Date; minutes: number } => t.at !== null && t.minutes !== null);
    const next = running.sort((a, b) => a.at.getTime() - b.at.getTime())[0];
    if (next) {
      nextDueAt = next.at;
      nextRiskAt = due(next.minutes, policy.riskPercent / 100);
    }
  }
  return {
    firstResponseDueAt,
    resolutionDueAt,
    firstResponseAt,
    slaPausedAt: pausedAt,
    slaPausedMinutes: pausedMinutes,
    nextDueAt,
    nextRiskAt,
  };
}

/** Where a ticket stands against its next due time, read from the stored times and the clock. */
export type DueState =
  | { kind: "none" }
  | { kind: "paused" }
  | { kind: "due"; at: Date; atRisk: boolean }
  | { kind: "overdue"; at: Date };

export function dueState(
  t: { nextDueAt: Date | null; nextRiskAt: Date | null; slaPausedAt: Date | null },
  now: Date,
): DueState {
  if (t.slaPausedAt) return { kind: "paused" };
  if (!t.nextDueAt) return { kind: "none" };
  if (t.nextDueAt <= now) return { kind: "overdue", at: t.nextDueAt };
  return { kind: "due", at: t.nextDueAt, atRisk: t.nextRiskAt !== null && t.nextRiskAt <= now };
}
