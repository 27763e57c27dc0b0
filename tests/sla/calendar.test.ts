import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import {
  addBusinessMinutes,
  businessMinutesBetween,
  type Calendar,
  dueAt,
  officeHours,
  type Span,
} from "../../src/sla/calendar.js";

// The SLA arithmetic as a table: business hours, weekends, holidays, lunch breaks, summer time
// in Europe and America, pauses, targets longer than a week. Times are written as the desk reads
// them, in its own zone.

const BERLIN = "Europe/Berlin";
const NEW_YORK = "America/New_York";
const local = (zone: string, iso: string) => DateTime.fromISO(iso, { zone }).toJSDate();
const show = (zone: string, d: Date | null) =>
  d ? DateTime.fromJSDate(d, { zone }).toFormat("yyyy-MM-dd'T'HH:mm") : null;
const every = (span: Span): Calendar["hours"] => ({
  1: [span],
  2: [span],
  3: [span],
  4: [span],
  5: [span],
  6: [span],
  7: [span],
});
const h = (from: number, to: number): Span => [from * 60, to * 60];

const office = officeHours(BERLIN);
const lunch: Calendar = {
  zone: BERLIN,
  hours: Object.fromEntries([1, 2, 3, 4, 5].map((d) => [d, [h(9, 12), h(13, 17)]])),
  holidays: [],
};
const christmas: Calendar = { ...office, holidays: [{ date: "2026-12-25", name: "Christmas Day" }] };

describe("the due time of a target in business minutes", () => {
  const cases: [string, Calendar, string, number, string][] = [
    ["within a working day", office, "2026-12-07T10:00", 60, "2026-12-07T11:00"],
    ["across a weekend", office, "2026-12-11T16:30", 60, "2026-12-14T09:30"],
    ["opened on a Saturday: from Monday's start", office, "2026-12-12T12:00", 30, "2026-12-14T09:30"],
    ["opened before hours: from the day's start", office, "2026-12-08T07:00", 30, "2026-12-08T09:30"],
    ["opened after hours: from the next day's start", office, "2026-12-08T18:00", 30, "2026-12-09T09:30"],
    ["a holiday and a weekend skipped", christmas, "2026-12-24T16:00", 120, "2026-12-28T10:00"],
    ["two spans a day: the lunch hour does not count", lunch, "2026-12-07T11:30", 60, "2026-12-07T13:30"],
    ["a target longer than a week", office, "2026-12-07T09:00", 3_000, "2026-12-15T11:00"],
    ["ending exactly at closing time", office, "2026-12-07T16:00", 60, "2026-12-07T17:00"],
    ["a target of nothing is due at once", office, "2026-12-12T12:00", 0, "2026-12-12T12:00"],
    // Summer time begins in Europe on Sunday 29 March 2026 (02:00 -> 03:00): 08:00 is still 08:00.
    [
      "summer time begins (Europe)",
      { zone: BERLIN, hours: every(h(8, 20)), holidays: [] },
      "2026-03-28T19:00",
      120,
      "2026-03-29T09:00",
    ],
    [
      "the lost hour is not worked (Europe)",
      { zone: BERLIN, hours: every(h(0, 6)), holidays: [] },
      "2026-03-29T00:00",
      240,
      "2026-03-29T05:00",
    ],
    // And in America on Sunday 8 March 2026.
    [
      "summer time begins (America)",
      { zone: NEW_YORK, hours: every(h(8, 20)), holidays: [] },
      "2026-03-07T19:30",
      90,
      "2026-03-08T09:00",
    ],
    // Winter time: 1 November 2026 in America (02:00 -> 01:00), the repeated hour is worked.
    [
      "the repeated hour is worked (America)",
      { zone: NEW_YORK, hours: every(h(0, 6)), holidays: [] },
      "2026-11-01T00:00",
      390,
      "2026-11-01T05:30",
    ],
    [
      "an empty calendar is 24x7",
      { zone: BERLIN, hours: {}, holidays: [] },
      "2026-12-12T23:30",
      90,
      "2026-12-13T01:00",
    ],
  ];
  it.each(cases)("%s", (_name, cal, start, minutes, due) => {
    expect(show(cal.zone, addBusinessMinutes(cal, local(cal.zone, start), minutes))).toBe(due);
  });

  it("says there is none when the calendar has no working time at all", () => {
    const never: Calendar = { zone: BERLIN, hours: { 1: [[600, 600]] }, holidays: [] };
    expect(addBusinessMinutes(never, local(BERLIN, "2026-12-07T10:00"), 60)).toBeNull();
  });
});

describe("business minutes between two instants (a pause, the share of a target used)", () => {
  const cases: [string, Calendar, string, string, number][] = [
    ["inside one day", office, "2026-12-07T10:00", "2026-12-07T12:30", 150],
    ["across a weekend", office, "2026-12-11T16:00", "2026-12-14T10:00", 120],
    ["all outside hours", office, "2026-12-12T08:00", "2026-12-13T20:00", 0],
    ["a holiday counts nothing", christmas, "2026-12-24T09:00", "2026-12-26T00:00", 480],
    ["the lunch hour counts nothing", lunch, "2026-12-07T11:00", "2026-12-07T14:00", 120],
    [
      "a night of 23 hours (Europe)",
      { zone: BERLIN, hours: every(h(0, 6)), holidays: [] },
      "2026-03-28T12:00",
      "2026-03-30T00:00",
      300,
    ],
    [
      "a night of 25 hours (America)",
      { zone: NEW_YORK, hours: every(h(0, 6)), holidays: [] },
      "2026-10-31T12:00",
      "2026-11-02T00:00",
      420,
    ],
    ["backwards is nothing", office, "2026-12-07T12:00", "2026-12-07T10:00", 0],
  ];
  it.each(cases)("%s", (_name, cal, from, to, minutes) => {
    expect(businessMinutesBetween(cal, local(cal.zone, from), local(cal.zone, to))).toBe(minutes);
  });

  it("a pause across a weekend moves the due time by the business minutes it lasted, not by the weekend", () => {
    const opened = local(BERLIN, "2026-12-11T15:00");
    // Waiting on the requester from Friday 16:00 to Monday 10:00: two business hours.
    const paused = businessMinutesBetween(office, local(BERLIN, "2026-12-11T16:00"), local(BERLIN, "2026-12-14T10:00"));
    expect(paused).toBe(120);
    expect(show(BERLIN, dueAt(office, opened, 120))).toBe("2026-12-11T17:00");
    expect(show(BERLIN, dueAt(office, opened, 120, paused))).toBe("2026-12-14T11:00");
  });

  it("agrees with the due time: the minutes from a start to its due time are the target", () => {
    for (const [cal, start, minutes] of [
      [office, "2026-12-11T16:30", 600],
      [lunch, "2026-12-07T08:00", 1_234],
      [christmas, "2026-12-23T12:00", 2_000],
    ] as const) {
      const from = local(cal.zone, start);
      expect(businessMinutesBetween(cal, from, addBusinessMinutes(cal, from, minutes)!)).toBe(minutes);
    }
  });
});
