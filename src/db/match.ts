import type { Deps } from "../env.js";
import { providerOf } from "./database-url.js";

/** Case-insensitive substring match on both databases (SQLite's LIKE already ignores ASCII case). */
export function contains(deps: Deps, q: string) {
  return providerOf(deps.config.databaseUrl) === "postgresql"
    ? ({ contains: q, mode: "insensitive" } as { contains: string })
    : { contains: q };
}
