// npm run bench:merge: merging a duplicate with 500 replies (and notes) into another ticket, one POST
// /tickets/:id/merge, on SQLite and then PostgreSQL (BENCH_POSTGRES_URL, `skip` to leave it out), on a
// desk of 1,000 tickets. The merge is one transaction (src/tickets/merge.ts): each round checks that
// all 500 messages and the opening moved, and prints the median time of ROUNDS rounds.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createPrisma } from "../../src/db/prisma.js";
import { BROWSER_HEADERS, freshPostgres, migrate, seed, signIn, startApp } from "./harness.js";

const POSTGRES_URL = process.env.BENCH_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/hyperdesk_bench";
const PORT = 3917;
const ROUNDS = Number(process.env.MERGE_ROUNDS ?? 5);
const REPLIES = 500;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function run(label: string, databaseUrl: string) {
  console.error(`${label}: seeding 1,000 tickets...`);
  migrate(databaseUrl);
  await seed(databaseUrl, 1000);
  const db = createPrisma(databaseUrl);
  const { child } = await startApp(databaseUrl, PORT);
  try {
    const agent = await signIn(PORT, "agent@example.com");
    const staff = await db.user.findUniqueOrThrow({ where: { email: "agent@example.com" } });
    const times: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const requester = await db.user.findFirstOrThrow({ where: { role: "requester" } });
      const make = (subject: string) =>
        db.ticket.create({ data: { subject, description: `${subject}: the details.`, requesterId: requester.id } });
      const [survivor, duplicate] = [await make(`Survivor ${round}`), await make(`Duplicate ${round}`)];
      await db.reply.createMany({
        data: Array.from({ length: REPLIES }, (_, i) => ({
          ticketId: duplicate.id,
          authorId: i % 2 ? staff.id : requester.id,
          body: `Message ${i} of a long thread about the printer on floor ${round}.`,
          internal: i % 10 === 9,
          createdAt: new Date(Date.now() - (REPLIES - i) * 60_000),
        })),
      });
      const form = new URLSearchParams({
        into: String(survivor.id),
        version: String(duplicate.version),
        confirm: "yes",
        _csrf: agent.csrf,
      });
      const started = performance.now();
      const res = await fetch(`http://127.0.0.1:${PORT}/tickets/${duplicate.id}/merge`, {
        method: "POST",
        redirect: "manual",
        headers: { ...BROWSER_HEADERS, "Content-Type": "application/x-www-form-urlencoded", Cookie: agent.cookie },
        body: form,
      });
      await res.arrayBuffer();
      times.push(performance.now() - started);
      if (res.status !== 303) throw new Error(`merge: ${res.status}`);
      const moved = await db.reply.count({ where: { ticketId: survivor.id, fromTicketId: duplicate.id } });
      if (moved !== REPLIES + 1) throw new Error(`moved ${moved} messages, not ${REPLIES + 1}`);
    }
    return { mergeMs: median(times) };
  } finally {
    child.kill("SIGTERM");
    await new Promise((r) => child.once("exit", r));
    await db.$disconnect();
  }
}

const results: Record<string, Awaited<ReturnType<typeof run>>> = {};
results.SQLite = await run("SQLite", `file:${join(mkdtempSync(join(tmpdir(), "hyperdesk-merge-")), "merge.db")}`);
if (POSTGRES_URL !== "skip" && (await freshPostgres(POSTGRES_URL)))
  results.PostgreSQL = await run("PostgreSQL", POSTGRES_URL);

console.log(`\nMerging a ticket with ${REPLIES} replies and notes: one POST, one transaction (median of ${ROUNDS})\n`);
console.log("| database | merge | per message |");
console.log("|---|---:|---:|");
for (const [db, r] of Object.entries(results))
  console.log(`| ${db} | ${r.mergeMs.toFixed(0)} ms | ${((r.mergeMs / (REPLIES + 1)) * 1000).toFixed(0)} µs |`);
process.exit(0);
