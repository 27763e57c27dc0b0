import { DateTime } from "luxon";

// The desk's business calendar and its arithmetic: when a target of N business minutes, started at
// an instant, falls due; and how many business minutes lie between two instants (a pause while a
// ticket waits on its requester is not counted). Working hours are wall-clock times in the desk's
// IANA time zone (luxon, over the platform's Intl data), so a day that changes to or from summer
// time has as many business minutes as really pass inside its spans. Pure: no clock, no database.

/** Minutes after local midnight, [start, end), start < end. */
export type Span = readonly [start: number, end: number];

export type Calendar = {
  /** IANA time zone of the desk, e.g. "Europe/Berlin". */
  zone: string;
  /** Working spans per ISO weekday (1 Monday .. 7 Sunday), several a day for a lunch break. */
  hours: Partial<Record<1 | 2 | 3 | 4 | 5 | 6 | 7, readonly Span[]>>;
  /** Whole days off, as local dates "YYYY-MM-DD". */
  holidays: readonly { date: string; name: string }[];
};

/** A calendar with no working hours at all is 24x7: every minute counts. */
export const isAroundTheClock = (cal: Calendar) => !Object.values(cal.hours).some((spans) => spans?.length);

/**
 * The instant of a wall-clock time (minutes after midnight) on a local day: 09:00 is 09:00 on the
 * day summer time begins too (not midnight plus 540 minutes); 24:00 is the next midnight; a time
 * the clocks skip (02:30 on a spring-forward night) is the instant just after the gap.
 */
const at = (day: DateTime, minutes: number) =>
  minutes >= 1440
    ? day.plus({ days: 1 }).startOf("day").toMillis()
    : day.set({ hour: Math.floor(minutes / 60), minute: minutes % 60 }).toMillis();

/** The spans of one local day as instants, in order; none on a holiday. */
function spansOf(cal: Calendar, day: DateTime, holidays: Set<string>): [number, number][] {
  if (holidays.has(day.toISODate()!)) return [];
  const spans = cal.hours[day.weekday as 1] ?? [];
  return spans
    .map(([start, end]): [number, number] => [at(day, start), at(day, end)])
    .filter(([a, b]) => b > a)
    .sort((x, y) => x[0] - y[0]);
}

/** How far to look before deciding a calendar has no working time left (ten years of days). */
const MAX_DAYS = 3_660;

/**
 * The instant `minutes` business minutes after `start`. A start outside working hours counts from
 * the next span; a target of 0 is due at `start` itself. Null when the calendar has no working time
 * left within ten years (every day a holiday), which a form should have refused.
 */
export function addBusinessMinutes(cal: Calendar, start: Date, minutes: number): Date | null {
  if (minutes <= 0) return start;
  if (isAroundTheClock(cal)) return new Date(start.getTime() + minutes * 60_000);
  const holidays = new Set(cal.holidays.map((h) => h.date));
  let left = minutes * 60_000;
  let day = DateTime.fromJSDate(start, { zone: cal.zone }).startOf("day");
  for (let i = 0; i < MAX_DAYS; i++, day = day.plus({ days: 1 }).startOf("day")) {
    for (const [a, b] of spansOf(cal, day, holidays)) {
      const from = Math.max(a, start.getTime());
      if (from >= b) continue;
      if (b - from >= left) return new Date(from + left);
      left -= b - from;
    }
  }
  return null;
}

/** Business minutes (fractional) between two instants; 0 when `to` is not after `from`. */
export function businessMinutesBetween(cal: Calendar, from: Date, to: Date): number {
  if (to <= from) return 0;
  if (isAroundTheClock(cal)) return (to.getTime() - from.getTime()) / 60_000;
  const holidays = new Set(cal.holidays.map((h) => h.date));
  let total = 0;
  let day = DateTime.fromJSDate(from, { zone: cal.zone }).startOf("day");
  const end = to.getTime();
  for (let i = 0; i < MAX_DAYS && day.toMillis() < end; i++, day = day.plus({ days: 1 }).startOf("day"))
    for (const [a, b] of spansOf(cal, day, holidays)) {
      const lo = Math.max(a, from.getTime());
      const hi = Math.min(b, end);
      if (hi > lo) total += hi - lo;
    }
  return total / 60_000;
}

/**
 * The due instant of a target of `minutes` started at `start`, with the business minutes spent
 * paused (a ticket Waiting on its requester) added on: the clock stood still for them.
 */
export const dueAt = (cal: Calendar, start: Date, minutes: number, pausedMinutes = 0) =>
  addBusinessMinutes(cal, start, minutes + pausedMinutes);

/** A weekday calendar of one span a day, 09:00-17:00, Monday to Friday: the default of a small desk. */
export const officeHours = (zone: string): Calendar => {
  const day: readonly Span[] = [[9 * 60, 17 * 60]];
  return { zone, hours: { 1: day, 2: day, 3: day, 4: day, 5: day }, holidays: [] };
};
