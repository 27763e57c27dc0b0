// npm run bench:memory: the app's memory under the bench load, started with different Node flags.
// Prints, for each: RSS idle, RSS at peak while the list page, the ticket page and the queue search
// each take 50 connections for BENCH_SECONDS (5 by default), and the list page's req/s, so a saving
// that costs speed shows. Asserts nothing. See bench/README.md.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { load, migrate, rssMb, START_ENV, START_FLAGS, samplePeak, seed, signIn, startApp } from "./harness.js";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const port = 3910;
const databaseUrl = `file:${join(mkdtempSync(join(tmpdir(), "hyperdesk-memory-")), "bench.db")}`;

/** [what is tried, Node flags, environment]. The first is how `npm start` runs the app. */
const VARIANTS: [string, string, Record<string, string>][] = [
  [`npm start (${START_FLAGS || "no flags"}; ${JSON.stringify(START_ENV)})`, START_FLAGS, START_ENV],
  ["npm start's flags, glibc's default malloc arenas (8 per core)", START_FLAGS, {}],
  ["Node's defaults", "", {}],
  ["--max-semi-space-size=1", "--max-semi-space-size=1", {}],
  ["--liftoff-only (Prisma's wasm compiled once, unoptimised)", "--liftoff-only", {}],
  ["liftoff, semi-space 1, heap growing 30 %", "--liftoff-only --max-semi-space-size=1 --heap-growing-percent=30", {}],
  ["liftoff, semi-space 1, old space 128 MB", "--liftoff-only --max-semi-space-size=1 --max-old-space-size=128", {}],
  ["liftoff, semi-space 1, old space 96 MB", "--liftoff-only --max-semi-space-size=1 --max-old-space-size=96", {}],
  ["--optimize-for-size", "--optimize-for-size", {}],
];

migrate(databaseUrl);
const { ticketId } = await seed(databaseUrl, 1000);
const rows: { label: string; idle: number; peak: number; after: number; listRps: number; non2xx: number }[] = [];
for (const [label, flags, env] of VARIANTS) {
  const { child } = await startApp(databaseUrl, port, flags, env);
  const requester = await signIn(port, "bench@example.com");
  const agent = await signIn(port, "agent@example.com");
  const idle = rssMb(child.pid!);
  const stop = samplePeak(child.pid!);
  const base = `http://127.0.0.1:${port}`;
  const list = await load(`${base}/tickets`, { headers: { Cookie: requester.cookie } }, SECONDS);
  const page = await load(`${base}/tickets/${ticketId}`, { headers: { Cookie: requester.cookie } }, SECONDS);
  const search = await load(`${base}/queue?q=printer&status=Open`, { headers: { Cookie: agent.cookie } }, SECONDS);
  const peak = stop();
  const after = rssMb(child.pid!);
  child.kill("SIGTERM");
  await new Promise((r) => child.once("exit", r));
  rows.push({ label, idle, peak, after, listRps: list.rps, non2xx: list.non2xx + page.non2xx + search.non2xx });
  console.error(`measured ${label}`);
}
console.log(
  `\nHyperdesk memory: 50 connections, ${SECONDS} s each on the list page, a ticket page and a queue search\n`,
);
console.log("| app started with | RSS idle MB | RSS peak MB | RSS after MB | list req/s | non-2xx |");
console.log("|---|---:|---:|---:|---:|---:|");
for (const r of rows)
  console.log(
    `| ${r.label} | ${r.idle.toFixed(0)} | ${r.peak.toFixed(0)} | ${r.after.toFixed(0)} | ${r.listRps} | ${r.non2xx} |`,
  );
process.exit(0);
