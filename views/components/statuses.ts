import { useRequestContext } from "hono/jsx-renderer";
import type { AppEnv } from "../../src/env.js";
import { DEFAULT_STATUSES, type Statuses } from "../../src/tickets/statuses.js";

/** A view's statuses and their kinds: what this request read (the four alone outside a request). */
export function useStatuses(): Statuses {
  try {
    return useRequestContext<AppEnv>().get("statuses") ?? DEFAULT_STATUSES;
  } catch {
    return DEFAULT_STATUSES;
  }
}
