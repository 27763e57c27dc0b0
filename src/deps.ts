import type { Config } from "./config.js";
import type { Db } from "./db/prisma.js";
import type { Deps } from "./env.js";
import { join } from "node:path";
import { Assets } from "./lib/assets.js";
import { projectRoot } from "./root.js";
import { type Clock, systemClock } from "./lib/clock.js";

/** Everything the app needs, with the defaults a running server uses. */
export function makeDeps(config: Config, db: Db, overrides: Partial<Pick<Deps, "clock" | "log">> = {}): Deps {
  return {
    config,
    db,
    clock: overrides.clock ?? (systemClock as Clock),
    assets: new Assets(join(projectRoot, "static")),
    state: { draining: false },
    log:
      overrides.log ??
      ((line) => process.stdout.write(`${JSON.stringify({ t: new Date().toISOString(), ...line })}\n`)),
  };
}
