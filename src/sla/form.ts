import { IANAZone } from "luxon";
import { z } from "zod";
import { msg } from "../i18n/translate.js";
import { PRIORITIES, type Priority } from "../tickets/model.js";
import type { Calendar, Span } from "./calendar.js";
import { MAX_TARGET_MINUTES, type Policy } from "./policy.js";

// The policy as the admin page writes it, both ways: working hours as "09:00-12:00, 13:00-17:00"
// per weekday, holidays one a line as "2026-12-25 Christmas Day", targets as business time
// ("30m", "4h", "2h 30m", or plain minutes), the at-risk share in percent. Each field that cannot
// be read comes back with a message of its own (a 422 next to it), and nothing is saved.

export const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7] as const;

const hhmm = (minutes: number) =>
  `${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;

export const spansText = (spans: readonly Span[] | undefined) =>
  (spans ?? []).map(([a, b]) => `${hhmm(a)}-${hhmm(b)}`).join(", ");

export const holidaysText = (holidays: Calendar["holidays"]) =>
  holidays.map((h) => `${h.date} ${h.name}`.trim()).join("\n");

/** 90 -> "1h 30m"; null (no target) -> "". */
export const durationText = (minutes: number | null) => {
  if (minutes === null) return "";
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return [h ? `${h}h` : "", m ? `${m}m` : ""].filter(Boolean).join(" ") || "0m";
};

const TIME = /^([01]?\d|2[0-4]):([0-5]\d)$/;
const toMinutes = (value: string) => {
  const m = TIME.exec(value.trim());
  if (!m) return null;
  const minutes = Number(m[1]) * 60 + Number(m[2]);
  return minutes <= 1440 ? minutes : null;
};

/** "09:00-12:00, 13:00-17:00" -> spans in order; null when a span is unreadable, empty or overlaps another. */
export function parseSpans(text: string): Span[] | null {
  const parts = text
    .split(/[,;]/)
    .map((p) => p.trim())
    .filter(Boolean);
  const spans: Span[] = [];
  for (const part of parts) {
    const [from, to, ...rest] = part.split(/\s*[-–]\s*/);
    if (rest.length || from === undefined || to === undefined) return null;
    const a = toMinutes(from);
    const b = toMinutes(to);
    if (a === null || b === null || a >= b) return null;
    spans.push([a, b]);
  }
  spans.sort((x, y) => x[0] - y[0]);
  for (let i = 1; i < spans.length; i++) if (spans[i]![0] < spans[i - 1]![1]) return null;
  return spans;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const isDate = (value: string) => {
  const m = DATE.exec(value);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === value;
};

/** "30m", "4h", "2h 30m", "1h30", "90" -> minutes; "" -> null (no target); undefined when unreadable. */
export function parseDuration(text: string): number | null | undefined {
  const value = text.trim().toLowerCase();
  if (value === "") return null;
  if (/^\d+$/.test(value)) return Number(value);
  const m = /^(?:(\d+)\s*h)?\s*(?:(\d+)\s*m?)?$/.exec(value);
  if (!m || (m[1] === undefined && m[2] === undefined)) return undefined;
  return Number(m[1] ?? 0) * 60 + Number(m[2] ?? 0);
}

/** A box left out of the form reads as an empty one. */
const box = () => z.string().optional().default("");

const spansField = box().transform((value, ctx) => {
  const spans = parseSpans(value);
  if (spans === null) ctx.addIssue({ code: "custom", message: msg("sla.hoursInvalid") });
  return spans ?? [];
});

const holidaysField = box()
  .pipe(z.string().max(20_000, msg("sla.holidaysLong")))
  .transform((value, ctx) => {
    const holidays: Calendar["holidays"][number][] = [];
    const lines = value.split(/\r?\n/);
    for (const [i, raw] of lines.entries()) {
      const line = raw.trim();
      if (!line) continue;
      const [date = "", ...name] = line.split(/\s+/);
      if (!isDate(date)) {
        ctx.addIssue({ code: "custom", message: msg("sla.holidayInvalid"), params: { line: i + 1 } });
        return [];
      }
      holidays.push({ date, name: name.join(" ").slice(0, 100) });
    }
    return holidays.sort((a, b) => a.date.localeCompare(b.date));
  });

const durationField = box().transform((value, ctx) => {
  const minutes = parseDuration(value);
  if (minutes === undefined || (minutes !== null && (minutes < 1 || minutes > MAX_TARGET_MINUTES)))
    ctx.addIssue({ code: "custom", message: msg("sla.targetInvalid") });
  return minutes ?? null;
});

export const policyForm = z.object({
  zone: z
    .string()
    .trim()
    .refine((zone) => IANAZone.isValidZone(zone), msg("sla.zoneInvalid")),
  ...Object.fromEntries(WEEKDAYS.map((d) => [`hours_${d}`, spansField])),
  holidays: holidaysField,
  ...Object.fromEntries(
    PRIORITIES.flatMap((p) => [
      [`first_${p}`, durationField],
      [`resolution_${p}`, durationField],
    ]),
  ),
  risk: z.coerce
    .number({ error: msg("sla.riskInvalid") })
    .int(msg("sla.riskInvalid"))
    .min(1, msg("sla.riskInvalid"))
    .max(99, msg("sla.riskInvalid")),
});

/** The policy a valid form describes. */
export function policyOf(data: Record<string, unknown>): Policy {
  const hours: Calendar["hours"] = {};
  for (const d of WEEKDAYS) {
    const spans = data[`hours_${d}`] as Span[];
    if (spans.length) hours[d] = spans;
  }
  const targets = Object.fromEntries(
    PRIORITIES.map((p) => [
      p,
      { firstResponse: data[`first_${p}`] as number | null, resolution: data[`resolution_${p}`] as number | null },
    ]),
  ) as Record<Priority, Policy["targets"][Priority]>;
  return {
    calendar: { zone: data.zone as string, hours, holidays: data.holidays as Calendar["holidays"] },
    targets,
    riskPercent: data.risk as number,
  };
}

/** The form's values for a policy: what the page shows in its boxes. */
export function formValuesOf(policy: Policy): Record<string, string> {
  const values: Record<string, string> = {
    zone: policy.calendar.zone,
    holidays: holidaysText(policy.calendar.holidays),
    risk: String(policy.riskPercent),
  };
  for (const d of WEEKDAYS) values[`hours_${d}`] = spansText(policy.calendar.hours[d]);
  for (const p of PRIORITIES) {
    values[`first_${p}`] = durationText(policy.targets[p].firstResponse);
    values[`resolution_${p}`] = durationText(policy.targets[p].resolution);
  }
  return values;
}
