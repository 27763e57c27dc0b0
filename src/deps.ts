import { join } from "node:path";
import { type Clock, systemClock } from "./clock.js";
import type { Config } from "./config.js";
import type { Db } from "./db/prisma.js";
import type { Deps } from "./env.js";
import { Assets } from "./http/assets.js";
import { projectRoot } from "./root.js";
import { changeSubscribers } from "./subscribers.js";
import { SessionCache } from "./users/session-cache.js";

/** Everything the app needs, with the defaults a running server uses. */
export function makeDeps(
  config: Config,
  db: Db,
  overrides: Partial<Pick<Deps, "clock" | "log" | "subscribers">> = {},
): Deps {
  const clock: Clock = overrides.clock ?? systemClock;
  const log = (line: Record<string, unknown>) =>
    process.stdout.write(`${JSON.stringify({ t: clock.now().toISOString(), ...line })}\n`);
  return {
    config,
    db,
    clock,
    assets: new Assets(join(projectRoot, "static")),
    state: { draining: false },
    log: overrides.log ?? log,
    sessions: new SessionCache(),
    subscribers: overrides.subscribers ?? changeSubscribers,
  };
}
