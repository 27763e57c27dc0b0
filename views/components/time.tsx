import { useRequestContext } from "hono/jsx-renderer";
import type { AppEnv } from "../../src/env.js";
import { formatDate, relativeTime } from "../../src/lib/time.js";

/**
 * A date as people read it at a glance ("2 hours ago"), the exact moment in the desk's time zone
 * on hover (`title`), and for machines (`datetime`). Older than a week, the exact date itself.
 */
export function Time({ date }: { date: Date }) {
  const { clock, config } = useRequestContext<AppEnv>().var.deps;
  const exact = formatDate(date, config.timeZone);
  return (
    <time datetime={date.toISOString()} title={exact}>
      {relativeTime(date, clock.now()) ?? exact}
    </time>
  );
}

/** The time zone dates are shown in (TIME_ZONE). */
export const useTimeZone = () => useRequestContext<AppEnv>().var.deps.config.timeZone;
