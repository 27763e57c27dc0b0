import { useRequestContext } from "hono/jsx-renderer";
import type { AppEnv } from "../../src/env.js";
import { formatDate } from "../../src/i18n/time.js";
import { useI18n } from "../../src/i18n/view.js";

/**
 * A date as people read it at a glance ("2 hours ago"), the exact moment in the desk's time zone
 * on hover (`title`), and for machines (`datetime`). Older than a week, the exact date itself.
 */
export function Time({ date }: { date: Date }) {
  const c = useRequestContext<AppEnv>();
  const { clock, config } = c.get("deps");
  const exact = formatDate(date, config.timeZone);
  return (
    <time datetime={date.toISOString()} title={exact}>
      {useI18n().relative(date, clock.now()) ?? exact}
    </time>
  );
}

/** The time zone dates are shown in (TIME_ZONE). */
export const useTimeZone = () => useRequestContext<AppEnv>().var.deps.config.timeZone;
