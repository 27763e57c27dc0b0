import { describe, expect, it } from "vitest";
import { dayOf, formatDate, isTimeZone } from "../../src/i18n/time.js";
import { i18nFor } from "../../src/i18n/translate.js";

describe("dates in the desk's time zone", () => {
  const moment = new Date("2026-11-25T03:30:00Z");

  it("formats a moment with its zone, sortable and 24-hour", () => {
    expect(formatDate(moment, "UTC")).toBe("2026-11-25 03:30 UTC");
    expect(formatDate(moment, "Europe/Berlin")).toBe("2026-11-25 04:30 GMT+1");
    expect(formatDate(moment, "America/New_York")).toBe("2026-11-24 22:30 EST");
    expect(formatDate(new Date("2026-11-25T00:05:00Z"), "UTC")).toBe("2026-11-25 00:05 UTC");
  });

  it("gives the local calendar day, across a daylight-saving change too", () => {
    expect(dayOf(moment, "UTC")).toBe("2026-11-25");
    expect(dayOf(moment, "America/New_York")).toBe("2026-11-24");
    // Europe/Berlin moves to summer time at 01:00 UTC on 2026-03-29.
    expect(dayOf(new Date("2026-03-28T22:59:00Z"), "Europe/Berlin")).toBe("2026-03-28");
    expect(dayOf(new Date("2026-03-28T23:00:00Z"), "Europe/Berlin")).toBe("2026-03-29");
    expect(formatDate(new Date("2026-03-29T01:00:00Z"), "Europe/Berlin")).toBe("2026-03-29 03:00 GMT+2");
  });

  it("knows IANA zone names and refuses others", () => {
    expect(isTimeZone("UTC")).toBe(true);
    expect(isTimeZone("Asia/Kolkata")).toBe(true);
    expect(isTimeZone("Mars/Olympus_Mons")).toBe(false);
    expect(isTimeZone("")).toBe(false);
  });
});

describe("relative times (English)", () => {
  it("says how long ago (or ahead) in words, up to a week, and nothing beyond", () => {
    const now = new Date("2026-11-25T12:00:00Z");
    const ago = (ms: number) => i18nFor("en").relative(new Date(now.getTime() - ms), now);
    const MIN = 60_000;
    expect([ago(0), ago(59_000), ago(MIN), ago(5 * MIN), ago(60 * MIN), ago(150 * MIN)]).toEqual([
      "just now",
      "just now",
      "1 minute ago",
      "5 minutes ago",
      "1 hour ago",
      "2 hours ago",
    ]);
    expect([ago(24 * 60 * MIN), ago(3 * 24 * 60 * MIN), ago(7 * 24 * 60 * MIN), ago(-5 * MIN)]).toEqual([
      "1 day ago",
      "3 days ago",
      undefined,
      "in 5 minutes",
    ]);
    expect([ago(-30_000), ago(-3 * 60 * MIN), ago(-8 * 24 * 60 * MIN)]).toEqual(["just now", "in 3 hours", undefined]);
  });
});
