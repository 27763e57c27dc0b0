import { createPrisma } from "../../src/db/prisma.js";
import type { Deps } from "../../src/env.js";
import { countByStatus } from "../../src/tickets/counts.js";
import { listTickets, type TicketFilters } from "../../src/tickets/list.js";

const url = process.argv[2]!;
const db = createPrisma(url);
await db.$connect();
if (url.startsWith("file:")) await db.$queryRawUnsafe("PRAGMA optimize = 0x10002");
const deps = { db, config: { databaseUrl: url } } as unknown as Deps;
async function time(run: () => Promise<unknown>) {
  await run();
  const ms: number[] = [];
  for (let i = 0; i < 5; i++) {
    const started = performance.now();
    await run();
    ms.push(performance.now() - started);
  }
  return ms.sort((a, b) => a - b)[2]!;
}
const now = new Date();
const cases: [string, TicketFilters][] = [
  ["overdue active due", { status: "active", due: { filter: "overdue", now }, sort: "due" }],
  ["risk", { due: { filter: "risk", now } }],
  ["tag wifi", { tags: ["wifi"] }],
  ["tag rare active", { tags: ["rare"], status: "active" }],
  ["tag rare", { tags: ["rare"] }],
  ["no filter", {}],
];
for (const [name, f] of cases) {
  const page = await time(() => listTickets(deps, f, undefined, { people: true }));
  const counts = await time(() => countByStatus(deps, f));
  console.log(`${name}: page ${page.toFixed(1)} ms, counts ${counts.toFixed(1)} ms`);
}
await db.$disconnect();
process.exit(0);
