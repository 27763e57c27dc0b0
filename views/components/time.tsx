import { useRequestContext } from "hono/jsx-renderer";
import type { AppEnv } from "../../src/env.js";
import { formatDate } from "../../src/lib/time.js";

/** A date in the desk's time zone, readable with no script, with the exact moment for machines. */
export function Time({ date }: { date: Date }) {
  return <time datetime={date.toISOString()}>{formatDate(date, useTimeZone())}</time>;
}

/** The time zone dates are shown in (TIME_ZONE). */
export const useTimeZone = () => useRequestContext<AppEnv>().var.deps.config.timeZone;
