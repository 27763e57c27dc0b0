// npm run bench:bulk: a bulk change of 25 tickets (one POST /queue/bulk) against the same change made
// one ticket at a time (25 POSTs of the triage form, one after another, as an agent would), on
// SQLite and then PostgreSQL (BENCH_POSTGRES_URL, `skip` to leave it out), 1,000 tickets each. Each
// round the bulk sets the 25 newest tickets' priority (High, then Low, ...) and the singles set it
// back to Medium, each checked to have changed all 25: the median of ROUNDS rounds and the ratio
// bulk / singles (the goal: at most 1).
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createPrisma } from "../../src/db/prisma.js";
import { BROWSER_HEADERS, freshPostgres, migrate, seed, signIn, startApp } from "./harness.js";

const POSTGRES_URL = process.env.BENCH_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/hyperdesk_bench";
const PORT = 3916;
const ROUNDS = Number(process.env.BULK_ROUNDS ?? 7);

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function run(label: string, databaseUrl: string) {
  console.error(`${label}: seeding 1,000 tickets...`);
  migrate(databaseUrl);
  await seed(databaseUrl, 1000);
  const db = createPrisma(databaseUrl);
  const { child } = await startApp(databaseUrl, PORT);
  try {
    const agent = await signIn(PORT, "agent@example.com");
    const base = `http://127.0.0.1:${PORT}`;
    const post = async (path: string, form: URLSearchParams) => {
      form.set("_csrf", agent.csrf);
      const res = await fetch(`${base}${path}`, {
        method: "POST",
        redirect: "manual",
        headers: { ...BROWSER_HEADERS, "Content-Type": "application/x-www-form-urlencoded", Cookie: agent.cookie },
        body: form,
      });
      await res.arrayBuffer();
      if (res.status !== 303) throw new Error(`${path}: ${res.status}`);
    };
    const newest = async () =>
      db.ticket.findMany({
        orderBy: { id: "desc" },
        take: 25,
        select: { id: true, version: true, status: true, assigneeId: true },
      });
    const bulk: number[] = [];
    const singles: number[] = [];
    const events = () => db.ticketEvent.count({ where: { kind: "priority" } });
    /** Each phase must change all 25 (one priority event each), or its time says nothing. */
    const changedAll = async (before: number, what: string) => {
      const made = (await events()) - before;
      if (made !== 25) throw new Error(`${what} changed ${made} tickets, not 25`);
    };
    // The 25 start at Medium; the bulk sets High or Low, the singles set Medium back: every request changes its ticket.
    await db.ticket.updateMany({
      where: { id: { in: (await newest()).map((t) => t.id) } },
      data: { priority: "Medium" },
    });
    for (let round = 0; round < ROUNDS; round++) {
      const priority = round % 2 ? "Low" : "High";
      // Bulk: the queue's form with the 25 boxes ticked, as the page showed them.
      let tickets = await newest();
      const form = new URLSearchParams({ view: "", bulkPriority: priority, apply: "1" });
      for (const t of tickets) form.append("t", `${t.id}.${t.version}`);
      let before = await events();
      let started = performance.now();
      await post("/queue/bulk", form);
      bulk.push(performance.now() - started);
      await changedAll(before, "the bulk change");
      // Singles: the triage form of each ticket, back to Medium.
      tickets = await newest();
      const other = "Medium";
      before = await events();
      started = performance.now();
      for (const t of tickets)
        await post(
          `/tickets/${t.id}/triage`,
          new URLSearchParams({
            status: t.status,
            priority: other,
            assignee: t.assigneeId ? String(t.assigneeId) : "",
            version: String(t.version),
          }),
        );
      singles.push(performance.now() - started);
      await changedAll(before, "the 25 triage forms");
    }
    const changed = await db.ticketEvent.count({ where: { kind: "priority" } });
    return { bulkMs: median(bulk), singlesMs: median(singles), changed };
  } finally {
    child.kill("SIGTERM");
    await new Promise((r) => child.once("exit", r));
    await db.$disconnect();
  }
}

const results: Record<string, Awaited<ReturnType<typeof run>>> = {};
results.SQLite = await run("SQLite", `file:${join(mkdtempSync(join(tmpdir(), "hyperdesk-bulk-")), "bulk.db")}`);
if (POSTGRES_URL !== "skip" && (await freshPostgres(POSTGRES_URL)))
  results.PostgreSQL = await run("PostgreSQL", POSTGRES_URL);

console.log(`\nA change to 25 tickets: one bulk POST against 25 triage POSTs (median of ${ROUNDS} rounds)\n`);
console.log("| database | bulk (1 request) | singles (25 requests) | bulk / singles | priority events written |");
console.log("|---|---:|---:|---:|---:|");
for (const [db, r] of Object.entries(results)) {
  const ratio = r.bulkMs / r.singlesMs;
  console.log(
    `| ${db} | ${r.bulkMs.toFixed(0)} ms | ${r.singlesMs.toFixed(0)} ms | ${ratio.toFixed(2)} (${ratio <= 1 ? "met" : "NOT met"}: <= 1) | ${r.changed} |`,
  );
}
process.exit(0);
