import type { App } from "./app.js";
import { driverOf, readCounts, readRows } from "./db/reads.js";
import { statementCacheCounts } from "./db/statement-cache.js";
import type { Deps } from "./env.js";
import { Prisma } from "./generated/sqlite/client.js";
import { compressCounts } from "./http/compress.js";

// The speed shims lean on library internals: the driver under Prisma's adapter (readRows), the
// adapter's better-sqlite3 connection (statement cache), Hono's c.html (compression from the
// rendered text). Each has a slower fallback that gives the same answers, so a dependency upgrade
// that removed an internal would slow every page without a test or a user noticing. At start the
// server tries each once and says in one line which is off, and why.

/** The fast paths that did not run: one line each, naming what is missing and what it costs. */
export async function fastPathsOff(deps: Deps, app: App): Promise<string[]> {
  const off: string[] = [];
  const before = readCounts(deps.db).driver;
  await readRows(deps.db, Prisma.sql`SELECT 1 AS one`);
  if (readCounts(deps.db).driver === before)
    off.push(
      "readRows: Prisma's adapter did not hand over its driver (its `client`): every list and ticket page goes through $queryRaw",
    );
  const driver = driverOf(deps.db);
  if (driver?.kind === "sqlite" && !statementCacheCounts(driver.client))
    off.push("statement cache: the SQLite adapter's connection is not reachable: every query is compiled anew");
  const fromText = compressCounts.fromText;
  // A page above the compression threshold, as a browser asks for it.
  await app.request("/login", { headers: { "Accept-Encoding": "gzip", "Sec-Fetch-Site": "none" } });
  if (compressCounts.fromText === fromText)
    off.push("compression: Hono's c.html was not noted: every page is read back from its body stream to compress");
  return off;
}

/** Logs each fast path that is off, one line each; nothing when all run. */
export async function reportFastPaths(deps: Deps, app: App): Promise<void> {
  for (const line of await fastPathsOff(deps, app)) deps.log({ level: "warn", msg: `fast path off: ${line}` });
}
