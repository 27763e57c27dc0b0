import { z } from "zod";
import type { Db, Tx } from "../db/prisma.js";
import { PRIORITIES, type Priority } from "../tickets/model.js";
import { type Calendar, officeHours } from "./calendar.js";

// The desk's service policy: its business calendar, and per priority the targets for the first
// public answer and for resolution, in business minutes. Kept as one Setting row (JSON) that every
// instance reads inside the change it applies to, so a saved policy holds for the next change on
// any instance at once. No row: office hours (09:00-17:00, Monday to Friday) in TIME_ZONE and the
// targets below, which suit a small desk.

export type Targets = { firstResponse: number | null; resolution: number | null };

export type Policy = {
  calendar: Calendar;
  targets: Record<Priority, Targets>;
  /** The share of a target used (percent) from which a ticket counts as at risk. */
  riskPercent: number;
};

/** A business day is 8 hours in the default calendar: these read as 30 min / half a day, etc. */
export const DEFAULT_TARGETS: Record<Priority, Targets> = {
  Urgent: { firstResponse: 30, resolution: 240 },
  High: { firstResponse: 120, resolution: 480 },
  Medium: { firstResponse: 240, resolution: 1_440 },
  Low: { firstResponse: 480, resolution: 2_400 },
};

export const DEFAULT_RISK_PERCENT = 80;

export const defaultPolicy = (zone: string): Policy => ({
  calendar: officeHours(zone),
  targets: DEFAULT_TARGETS,
  riskPercent: DEFAULT_RISK_PERCENT,
});

const SETTING = "sla.policy";

/** A year of business minutes: the longest target a form takes. */
export const MAX_TARGET_MINUTES = 525_600;

const minutes = z.number().int().min(1).max(MAX_TARGET_MINUTES).nullable();
const span = z.tuple([z.number().int().min(0).max(1440), z.number().int().min(0).max(1440)]);
const stored = z.object({
  calendar: z.object({
    zone: z.string(),
    hours: z.record(z.string(), z.array(span)),
    holidays: z.array(z.object({ date: z.string(), name: z.string() })),
  }),
  targets: z.record(z.string(), z.object({ firstResponse: minutes, resolution: minutes })),
  riskPercent: z.number().int().min(1).max(99),
});

/** The saved policy, or the default when none is saved (or the row cannot be read, said once in the log). */
export async function readPolicy(db: Db | Tx, zone: string): Promise<Policy> {
  const row = await db.setting.findUnique({ where: { key: SETTING } });
  if (!row) return defaultPolicy(zone);
  const parsed = stored.safeParse(JSON.parse(row.value));
  if (!parsed.success) {
    console.error(
      JSON.stringify({ msg: "sla policy unreadable, using the default", issues: parsed.error.issues.length }),
    );
    return defaultPolicy(zone);
  }
  const { calendar, targets, riskPercent } = parsed.data;
  const fallback = DEFAULT_TARGETS;
  return {
    calendar: calendar as Calendar,
    targets: Object.fromEntries(PRIORITIES.map((p) => [p, targets[p] ?? fallback[p]])) as Policy["targets"],
    riskPercent,
  };
}

export async function savePolicy(db: Db | Tx, policy: Policy): Promise<void> {
  const value = JSON.stringify(policy);
  await db.setting.upsert({ where: { key: SETTING }, create: { key: SETTING, value }, update: { value } });
}
