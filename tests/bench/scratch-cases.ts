import { createPrisma } from "../../src/db/prisma.js";
import type { Deps } from "../../src/env.js";
import { countByStatus } from "../../src/tickets/counts.js";
import { listTickets, type TicketFilters } from "../../src/tickets/list.js";
const url = process.argv[2]!;
const db = createPrisma(url);
await db.$connect();
const deps = { db, config: { databaseUrl: url } } as unknown as Deps;
async function time(run: () => Promise<unknown>) {
  await run();
  const ms: number[] = [];
  for (let i = 0; i < 3; i++) { const s = performance.now(); await run(); ms.push(performance.now() - s); }
  return ms.sort((a, b) => a - b)[1]!;
}
const cases: TicketFilters[] = [
  { priority: "Urgent", sort: "due" },
  { status: "active", sort: "priority" },
  { status: "active", priority: "Urgent", sort: "newest" },
  { status: "active", priority: "Urgent", sort: "updated" },
  { status: "Open", sort: "updated" },
  { status: "active", tags: ["wifi"], sort: "priority" },
  { status: "active", tags: ["rare"], q: "printer", sort: "newest" },
  { requesterId: 1, q: "printer", sort: "updated" } as TicketFilters,
  { status: "active", sort: "newest" },
];
for (const f of cases) {
  const page = await time(() => listTickets(deps, { ...f, searchReplies: true }, undefined, { people: true }));
  const counts = await time(() => countByStatus(deps, { ...f, searchReplies: true }));
  console.log(`page ${page.toFixed(1)} ms, counts ${counts.toFixed(1)} ms  ${JSON.stringify(f)}`);
}
process.exit(0);
