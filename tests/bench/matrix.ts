// npm run bench:matrix: every filter, sort and kind of search the queue and a requester's list
// offer, on one desk of 200,000 tickets with a reply each (SQLite, seeded here, about 90 s; or
// BENCH_MATRIX_DATABASE_URL, a desk seeded by the bench, used as it is), each page and its status
// counts timed in the process (no HTTP), and those slower than BENCH_MATRIX_MS (10) printed. The
// bench's own cases are a few points of this; this finds the combinations they miss.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { systemClock } from "../../src/clock.js";
import { createPrisma } from "../../src/db/prisma.js";
import { optimizeSqlite } from "../../src/db/sweep.js";
import type { Deps } from "../../src/env.js";
import { countByStatus } from "../../src/tickets/counts.js";
import { listTickets, type TicketFilters } from "../../src/tickets/list.js";
import { SORTS } from "../../src/tickets/model.js";
import { migrate, seed } from "./harness.js";

const limitMs = Number(process.env.BENCH_MATRIX_MS ?? 10);
let url = process.env.BENCH_MATRIX_DATABASE_URL;
if (!url) {
  url = `file:${join(mkdtempSync(join(tmpdir(), "hyperdesk-matrix-")), "matrix.db")}`;
  migrate(url);
  console.error("seeding 200,000 tickets...");
  await seed(url, 200_000);
}
const db = createPrisma(url);
await db.$connect();
// The statistics the app gathers at start and at every sweep (SQLite; PostgreSQL analyses on its
// own, and the bench's seed runs ANALYZE there): the plans measured are the app's.
if (!url.startsWith("postgres")) await optimizeSqlite(db);
const deps = { db, config: { databaseUrl: url }, clock: systemClock } as unknown as Deps;
const requester = await db.user.findFirstOrThrow({ where: { email: "bench@example.com" } });
const agent = await db.user.findFirstOrThrow({ where: { email: "agent@example.com" } });

/** The median of three runs after one unmeasured, in ms. */
async function time(run: () => Promise<unknown>) {
  await run();
  const ms: number[] = [];
  for (let i = 0; i < 3; i++) {
    const started = performance.now();
    await run();
    ms.push(performance.now() - started);
  }
  return ms.sort((a, b) => a - b)[1]!;
}

// Words: common in subjects, only in replies, nowhere, one ticket's, two letters, one letter.
const searches = [undefined, "printer", "toner", "zzqx", "ticket 1999", "pr", "a"];
const slow: string[] = [];
let cases = 0;
for (const status of [undefined, "active", "Open", "Closed"] as const)
  for (const priority of [undefined, "Urgent"] as const)
    for (const assigneeId of [undefined, null, agent.id])
      for (const requesterMatch of [undefined, "bench"])
        for (const q of searches)
          for (const sort of SORTS) {
            const f: TicketFilters = { status, priority, assigneeId, requesterMatch, q, sort, searchReplies: true };
            const page = await time(() => listTickets(deps, f, undefined, { people: true }));
            // The counts do not depend on the order: once per filter set.
            const counts = sort === "newest" ? await time(() => countByStatus(deps, f)) : 0;
            cases++;
            if (page > limitMs || counts > limitMs)
              slow.push(`queue: page ${page.toFixed(1)} ms, counts ${counts.toFixed(1)} ms  ${JSON.stringify(f)}`);
          }
// The due-time filters and order (sla/): every combination with the filters agents use most.
const now = new Date();
for (const status of [undefined, "active", "Open"] as const)
  for (const priority of [undefined, "Urgent"] as const)
    for (const assigneeId of [undefined, null])
      for (const due of [undefined, { filter: "overdue" as const, now }, { filter: "risk" as const, now }])
        for (const q of [undefined, "printer"])
          for (const sort of ["due", "newest"] as const) {
            if (!due && sort === "newest") continue; // measured above
            const f: TicketFilters = { status, priority, assigneeId, due, q, sort, searchReplies: true };
            const page = await time(() => listTickets(deps, f, undefined, { people: true }));
            const counts = await time(() => countByStatus(deps, f));
            cases++;
            if (page > limitMs || counts > limitMs)
              slow.push(`queue: page ${page.toFixed(1)} ms, counts ${counts.toFixed(1)} ms  ${JSON.stringify(f)}`);
          }
// Tags: common (a quarter of the desk), rare (a thousandth), both, with the filters agents use most.
for (const status of [undefined, "active"] as const)
  for (const tags of [["wifi"], ["rare"], ["wifi", "rare"]])
    for (const q of [undefined, "printer"])
      for (const sort of ["newest", "due", "priority"] as const) {
        const f: TicketFilters = { status, tags, q, sort, searchReplies: true };
        const page = await time(() => listTickets(deps, f, undefined, { people: true }));
        const counts = sort === "newest" ? await time(() => countByStatus(deps, f)) : 0;
        cases++;
        if (page > limitMs || counts > limitMs)
          slow.push(`queue: page ${page.toFixed(1)} ms, counts ${counts.toFixed(1)} ms  ${JSON.stringify(f)}`);
      }
for (const status of [undefined, "Open"] as const)
  for (const q of searches)
    for (const sort of SORTS.filter((s) => s !== "due")) {
      const f: TicketFilters = { requesterId: requester.id, status, q, sort };
      const page = await time(() => listTickets(deps, f));
      cases++;
      if (page > limitMs) slow.push(`requester: page ${page.toFixed(1)} ms  ${JSON.stringify(f)}`);
    }
await db.$disconnect();
console.log(`${cases} filter sets on ${url.split(":")[0]} at 200,000 tickets; ${slow.length} over ${limitMs} ms:`);
for (const line of slow) console.log(`  ${line}`);
process.exit(0);
