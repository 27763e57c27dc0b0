// npm run bench: prints figures, asserts nothing. Starts the built app on a seeded SQLite database
// (then on PostgreSQL, if one answers), a bare node:http server and the render ceiling, and loads
// them with autocannon (50 connections, BENCH_SECONDS each, alternating). See bench/README.md.
import { fork } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type autocannon from "autocannon";
import {
  CONNECTIONS,
  type Figures,
  freshPostgres,
  load,
  migrate,
  paced,
  rssMb,
  SIZE_CASES,
  SIZE_LABELS,
  START_ENV,
  START_FLAGS,
  samplePeak,
  seed,
  signIn as signInAt,
  startApp as startAppOn,
} from "./harness.js";

const DURATION = Number(process.env.BENCH_SECONDS ?? 10);
const dir = mkdtempSync(join(tmpdir(), "hyperdesk-bench-"));
/** SQLite first; then the same pages on PostgreSQL (BENCH_POSTGRES_URL), if one answers. */
let databaseUrl = `file:${join(dir, "bench.db")}`;
const POSTGRES_URL = process.env.BENCH_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/hyperdesk_bench";
const appPort = 3900;
const barePort = 3901;
const ceilingPort = 3902;
const startApp = () => startAppOn(databaseUrl, appPort);
const signIn = (email: string) => signInAt(appPort, email);

migrate(databaseUrl);
const { ticketId } = await seed(databaseUrl, 1000);
const bare = fork(new URL("./bare-server.mjs", import.meta.url).pathname, [String(barePort)]);
await new Promise((r) => bare.once("message", r));
const ceiling = fork(
  new URL("./ceiling-server.tsx", import.meta.url).pathname,
  [String(ceilingPort), databaseUrl, String(ticketId)],
  {
    // The app's own Node flags: the ratio compares data and auth to rendering, not one heap setting to another.
    execArgv: ["--import", "tsx", ...(process.env.BENCH_APP_NODE_OPTIONS ?? START_FLAGS).split(" ").filter(Boolean)],
    env: { ...process.env, ...START_ENV, NODE_ENV: "production" },
  },
);
await new Promise((r) => ceiling.once("message", r));
const { child: app, coldStartMs } = await startApp();
const idleRss = rssMb(app.pid!);
const stopSampling = samplePeak(app.pid!);
const requester = await signIn("bench@example.com");
const agent = await signIn("agent@example.com");
const base = `http://127.0.0.1:${appPort}`;

const ceilingBase = `http://127.0.0.1:${ceilingPort}`;
const cases: [string, string, Partial<autocannon.Options>][] = [
  ["/healthz", `${base}/healthz`, {}],
  ["list page ceiling (same views, rows in memory, no auth)", `${ceilingBase}/tickets`, {}],
  ["ticket page ceiling (same views, in memory, no auth)", `${ceilingBase}/tickets/1000`, {}],
  ["queue ceiling (same views, rows in memory, no auth)", `${ceilingBase}/queue`, {}],
  ["ticket list (25 rows)", `${base}/tickets`, { headers: { Cookie: requester.cookie } }],
  ["ticket page", `${base}/tickets/${ticketId}`, { headers: { Cookie: requester.cookie } }],
  ["queue (25 rows)", `${base}/queue`, { headers: { Cookie: agent.cookie } }],
  ["queue with a search", `${base}/queue?q=printer&status=Open`, { headers: { Cookie: agent.cookie } }],
  [
    "create ticket (POST)",
    `${base}/tickets`,
    {
      method: "POST",
      headers: { Cookie: requester.cookie, "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        _csrf: requester.csrf,
        subject: "Benchmark ticket",
        description: "Created by autocannon during the benchmark.",
        priority: "Low",
      }).toString(),
    },
  ],
];

/**
 * A page against its render ceiling: ROUNDS pairs of runs, the real page then the ceiling, back to
 * back, and the median of the pairs' ratios. On a shared 2-core machine throughput swings by a
 * third from one minute to the next; a ratio of two runs taken seconds apart, several times over,
 * says what one pair cannot.
 */
const ROUNDS = 3;
async function againstCeiling(url: string, ceilingUrl: string, cookie: string) {
  const ratios: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const page = await load(url, { headers: { Cookie: cookie } });
    const ceilingFigures = await load(ceilingUrl);
    ratios.push(Number((page.rps / ceilingFigures.rps).toFixed(2)));
  }
  const median = [...ratios].sort((a, b) => a - b)[Math.floor(ROUNDS / 2)]!;
  return { ratios, median };
}
const CEILING_GOAL = { sqlite: 0.6, postgresql: 0.4 };

const rows: Record<string, Figures & { ratio: number; bare: Figures }> = {};
for (const [name, url, options] of cases) {
  const yardstick = await load(`http://127.0.0.1:${barePort}/`);
  const figures = await load(url, options);
  rows[name] = { ...figures, ratio: Number((figures.rps / yardstick.rps).toFixed(3)), bare: yardstick };
  console.error(`measured ${name}`);
}
const sqliteCeilings = {
  "ticket list (25 rows)": await againstCeiling(`${base}/tickets`, `${ceilingBase}/tickets`, requester.cookie),
  "ticket page": await againstCeiling(`${base}/tickets/${ticketId}`, `${ceilingBase}/tickets/1000`, requester.cookie),
  // The agents' queue as it opens (25 rows with people and tags, every status tab counted).
  "queue (25 rows)": await againstCeiling(`${base}/queue`, `${ceilingBase}/queue`, agent.cookie),
};
const rss = rssMb(app.pid!);
// Latency at a steady, ordinary load (not saturation, where latency is only Little's law).
const steady = (url: string, cookie: string) => paced(url, { Cookie: cookie });
const steadyList = await steady(`${base}/tickets`, requester.cookie);
const steadyTicket = await steady(`${base}/tickets/${ticketId}`, requester.cookie);
const peakRss = stopSampling();

type BySize = Record<keyof typeof SIZE_CASES, Figures>;
async function sizeCases(requesterCookie: string, agentCookie: string): Promise<BySize> {
  const out: Partial<BySize> = {};
  for (const [name, path] of Object.entries(SIZE_CASES) as [keyof BySize, string][]) {
    const cookie = name.startsWith("queue") ? agentCookie : requesterCookie;
    out[name] = await load(`${base}${path}`, { headers: { Cookie: cookie } }, 5);
  }
  return out as BySize;
}
const at1k = await sizeCases(requester.cookie, agent.cookie);
app.kill("SIGTERM");
await new Promise((r) => app.once("exit", r));
console.error("seeding 200,000 tickets...");
const seedStarted = performance.now();
await seed(databaseUrl, 200_000);
const seedSeconds = (performance.now() - seedStarted) / 1000;
const { child: app2 } = await startApp();
const at200k = await sizeCases((await signIn("bench@example.com")).cookie, (await signIn("agent@example.com")).cookie);
app2.kill("SIGTERM");
await new Promise((r) => app2.once("exit", r));

/** The same pages on PostgreSQL, against the same ceilings and yardstick as the SQLite ones. */
async function onPostgres() {
  if (POSTGRES_URL === "skip" || !(await freshPostgres(POSTGRES_URL))) return null;
  databaseUrl = POSTGRES_URL;
  migrate(databaseUrl);
  const { ticketId: id } = await seed(databaseUrl, 1000);
  const { child } = await startApp();
  const who = await signIn("bench@example.com");
  const staff = await signIn("agent@example.com");
  const pgRows: Record<string, Figures & { ratio: number }> = {};
  for (const [label, path, cookie] of [
    ["ticket list (25 rows)", "/tickets", who.cookie],
    ["ticket page", `/tickets/${id}`, who.cookie],
    ["queue with a search", "/queue?q=printer&status=Open", staff.cookie],
  ] as const) {
    const yardstick = await load(`http://127.0.0.1:${barePort}/`);
    const figures = await load(`${base}${path}`, { headers: { Cookie: cookie } });
    pgRows[label] = { ...figures, ratio: Number((figures.rps / yardstick.rps).toFixed(3)) };
    console.error(`measured ${label} on PostgreSQL`);
  }
  const ceilings = {
    "ticket list (25 rows)": await againstCeiling(`${base}/tickets`, `${ceilingBase}/tickets`, who.cookie),
    "ticket page": await againstCeiling(`${base}/tickets/${id}`, `${ceilingBase}/tickets/1000`, who.cookie),
    "queue (25 rows)": await againstCeiling(`${base}/queue`, `${ceilingBase}/queue`, staff.cookie),
  };
  const steadyPg = {
    list: await paced(`${base}/tickets`, { Cookie: who.cookie }),
    ticket: await paced(`${base}/tickets/${id}`, { Cookie: who.cookie }),
  };
  const at1k = await sizeCases(who.cookie, staff.cookie);
  child.kill("SIGTERM");
  await new Promise((r) => child.once("exit", r));
  console.error("seeding 200,000 tickets on PostgreSQL...");
  await seed(databaseUrl, 200_000);
  const { child: again } = await startApp();
  const at200k = await sizeCases(
    (await signIn("bench@example.com")).cookie,
    (await signIn("agent@example.com")).cookie,
  );
  again.kill("SIGTERM");
  await new Promise((r) => again.once("exit", r));
  return { rows: pgRows, ceilings, steady: steadyPg, at1k, at200k };
}
const postgres = await onPostgres();
bare.kill();
ceiling.kill();

const bareAvg = Math.round(Object.values(rows).reduce((n, r) => n + r.bare.rps, 0) / Object.keys(rows).length);
console.log(
  `\nHyperdesk benchmark${process.env.BENCH_APP_NODE_OPTIONS ? ` (app started with ${process.env.BENCH_APP_NODE_OPTIONS})` : ""}: ${CONNECTIONS} connections, ${DURATION} s per run, each run after a run of the bare server (node ${process.version}, ${(await import("node:os")).cpus().length} cores)\n`,
);
type Ceilings = Record<string, { ratios: number[]; median: number }>;
const vsCeiling = (ceilings: Ceilings, name: string) => {
  const c = ceilings[name];
  return c ? `${c.median.toFixed(2)} (${c.ratios.map((r) => r.toFixed(2)).join(", ")})` : "";
};
/** Each page's median against its ceiling, and whether it meets the goal. */
function printCeilings(ceilings: Ceilings, goal: number) {
  for (const [name, c] of Object.entries(ceilings))
    console.log(
      `${name} vs its ceiling: ${c.median.toFixed(2)} (median of ${c.ratios.join(", ")}; goal >= ${goal}: ${c.median >= goal ? "met" : "NOT met"})`,
    );
}
const steadyLine = (steady: { list: { p50: number; p99: number }; ticket: { p50: number; p99: number } }) =>
  `at a steady 100 req/s (evenly paced, 10 connections): list page p50 ${steady.list.p50} ms, p99 ${steady.list.p99} ms; ticket page p50 ${steady.ticket.p50} ms, p99 ${steady.ticket.p99} ms (goal p99 <= 20 ms: ${Math.max(steady.list.p99, steady.ticket.p99) <= 20 ? "met" : "NOT met"})`;
console.log("| case | req/s | p50 ms | p99 ms | non-2xx | vs bare | vs its ceiling (median of 3 pairs) |");
console.log("|---|---:|---:|---:|---:|---:|---:|");
console.log(`| bare node:http (average of its runs) | ${bareAvg} | | | | 1 | |`);
for (const [name, r] of Object.entries(rows))
  console.log(
    `| ${name} | ${r.rps} | ${r.p50} | ${r.p99} | ${r.non2xx} | ${r.ratio} | ${vsCeiling(sqliteCeilings, name)} |`,
  );
console.log("");
printCeilings(sqliteCeilings, CEILING_GOAL.sqlite);
console.log(steadyLine({ list: steadyList, ticket: steadyTicket }));
/** p50 at 1k and 200k tickets, and their ratio (the goal: at most 2). */
function printSizes(small: BySize, large: BySize) {
  for (const name of Object.keys(SIZE_CASES) as (keyof BySize)[]) {
    const [a, b] = [small[name].p50, large[name].p50];
    const ratio = b / Math.max(a, 1);
    console.log(
      `${SIZE_LABELS[name]} p50: ${a} ms at 1k tickets, ${b} ms at 200k (${ratio.toFixed(2)}x, goal <= 2x: ${ratio <= 2 ? "met" : "NOT met"}; p99 ${small[name].p99} / ${large[name].p99} ms)`,
    );
  }
}
console.log("");
printSizes(at1k, at200k);
console.log(`200k tickets seeded in ${seedSeconds.toFixed(1)} s with batched inserts`);
if (postgres) {
  console.log("\nPostgreSQL (same run, same yardstick and ceilings):\n");
  console.log("| case | req/s | p50 ms | p99 ms | vs bare | vs its ceiling |");
  console.log("|---|---:|---:|---:|---:|---:|");
  for (const [name, r] of Object.entries(postgres.rows))
    console.log(`| ${name} | ${r.rps} | ${r.p50} | ${r.p99} | ${r.ratio} | ${vsCeiling(postgres.ceilings, name)} |`);
  console.log("");
  printCeilings(postgres.ceilings, CEILING_GOAL.postgresql);
  console.log(steadyLine(postgres.steady));
  console.log("");
  printSizes(postgres.at1k, postgres.at200k);
} else console.log(`\nPostgreSQL: skipped (BENCH_POSTGRES_URL=${POSTGRES_URL}: skip, or nothing answers there)`);
console.log(
  `RSS: ${idleRss.toFixed(0)} MB idle, ${peakRss.toFixed(0)} MB at peak under load, ${rss.toFixed(0)} MB after; cold start (spawn to /healthz answering): ${coldStartMs.toFixed(0)} ms`,
);
console.log("(create ticket answers 303, which autocannon counts as non-2xx: each is a ticket created)");

mkdirSync("bench", { recursive: true });
writeFileSync(
  "bench/results.json",
  `${JSON.stringify({ date: new Date().toISOString(), node: process.version, connections: CONNECTIONS, seconds: DURATION, bare: bareAvg, cases: rows, postgresql: postgres, ceilings: sqliteCeilings, steady: { list: steadyList, ticket: steadyTicket }, bySize: { at1k, at200k }, seed200kSeconds: seedSeconds, rssMb: { idle: idleRss, peak: peakRss, after: rss }, coldStartMs }, null, 2)}\n`,
);
console.log("written: bench/results.json");
process.exit(0);
