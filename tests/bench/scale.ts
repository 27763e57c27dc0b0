// npm run bench:scale: the list, the queue, every search case and the due-time and tag filters at
// 1,000 tickets and at SCALE_TICKETS (1,000,000), on SQLite and then PostgreSQL (BENCH_POSTGRES_URL,
// `skip` to leave it out), each timed two ways: one request at a time (the page's own cost: the
// median of SCALE_SINGLE requests sent one after the other) and under load (50 connections,
// BENCH_SECONDS, where queueing hides it). Prints each case's ratio large/small; the goal is 2x.
// Seeding a million tickets takes a while (SQLite about 20 minutes on 2 cores; timed and printed).
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  BROWSER_HEADERS,
  type Figures,
  freshPostgres,
  load,
  migrate,
  SIZE_CASES,
  SIZE_LABELS,
  seed,
  signIn,
  startApp,
} from "./harness.js";

const LARGE = Number(process.env.SCALE_TICKETS ?? 1_000_000);
const SINGLE = Number(process.env.SCALE_SINGLE ?? 40);
const LOAD_SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const POSTGRES_URL = process.env.BENCH_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/hyperdesk_bench";
const PORT = 3910;

/** The bench's size cases and two more searches: a word no ticket has, and one ticket's own words. */
const CASES: Record<string, { path: string; label: string }> = {
  ...Object.fromEntries(
    Object.entries(SIZE_CASES).map(([k, path]) => [k, { path, label: SIZE_LABELS[k as keyof typeof SIZE_CASES] }]),
  ),
  queueSearchNone: { path: "/queue?q=zzqx", label: "queue search, a word no ticket has" },
  queueSearchOne: { path: "/queue?q=Ticket%20777.", label: "queue search, one ticket's words" },
};

/** The median of `n` requests sent one at a time (after five unmeasured), in ms. */
async function single(url: string, cookie: string, n = SINGLE): Promise<number> {
  const headers = { ...BROWSER_HEADERS, Cookie: cookie };
  const times: number[] = [];
  for (let i = 0; i < n + 5; i++) {
    const started = performance.now();
    const res = await fetch(url, { headers });
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`${url}: ${res.status}`);
    if (i >= 5) times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return Number(times[Math.floor(times.length / 2)]!.toFixed(2));
}

type Measured = Record<string, { single: number; load: Figures }>;
async function measure(databaseUrl: string): Promise<Measured> {
  const { child } = await startApp(databaseUrl, PORT);
  try {
    const requester = await signIn(PORT, "bench@example.com");
    const agent = await signIn(PORT, "agent@example.com");
    const out: Measured = {};
    for (const [name, { path }] of Object.entries(CASES)) {
      const cookie = path.startsWith("/queue") ? agent.cookie : requester.cookie;
      const url = `http://127.0.0.1:${PORT}${path}`;
      out[name] = {
        single: await single(url, cookie),
        load: await load(url, { headers: { Cookie: cookie } }, LOAD_SECONDS),
      };
      console.error(`  measured ${name}`);
    }
    return out;
  } finally {
    child.kill("SIGTERM");
    await new Promise((r) => child.once("exit", r));
  }
}

async function run(label: string, databaseUrl: string) {
  console.error(`${label}: seeding 1,000 tickets...`);
  migrate(databaseUrl);
  await seed(databaseUrl, 1000);
  const small = await measure(databaseUrl);
  console.error(`${label}: seeding ${LARGE.toLocaleString("en")} tickets...`);
  const started = performance.now();
  await seed(databaseUrl, LARGE);
  const seedSeconds = (performance.now() - started) / 1000;
  const large = await measure(databaseUrl);
  return { small, large, seedSeconds };
}

const results: Record<string, Awaited<ReturnType<typeof run>>> = {};
const dir = mkdtempSync(join(tmpdir(), "hyperdesk-scale-"));
results.SQLite = await run("SQLite", `file:${join(dir, "scale.db")}`);
const pgUrl = POSTGRES_URL !== "skip" && (await freshPostgres(POSTGRES_URL)) ? POSTGRES_URL : null;
if (pgUrl) results.PostgreSQL = await run("PostgreSQL", pgUrl);

const met = (ratio: number) => (ratio <= 2 ? "met" : "NOT met");
for (const [db, { small, large, seedSeconds }] of Object.entries(results)) {
  console.log(
    `\n${db}: 1,000 and ${LARGE.toLocaleString("en")} tickets (seeded in ${seedSeconds.toFixed(0)} s); goal: within 2x\n`,
  );
  console.log("| case | one at a time: 1k | large | ratio | under load (50 conn.) p50: 1k | large | ratio |");
  console.log("|---|---:|---:|---:|---:|---:|---:|");
  for (const [name, { label }] of Object.entries(CASES)) {
    const [a, b] = [small[name]!, large[name]!];
    const one = b.single / Math.max(a.single, 0.1);
    const many = b.load.p50 / Math.max(a.load.p50, 1);
    console.log(
      `| ${label} | ${a.single} ms | ${b.single} ms | ${one.toFixed(2)}x (${met(one)}) | ${a.load.p50} ms | ${b.load.p50} ms | ${many.toFixed(2)}x (${met(many)}) |`,
    );
  }
}
if (!pgUrl) console.log(`\nPostgreSQL: skipped (BENCH_POSTGRES_URL=${POSTGRES_URL}: skip, or nothing answers there)`);
mkdirSync("bench", { recursive: true });
writeFileSync(
  "bench/scale-results.json",
  `${JSON.stringify({ date: new Date().toISOString(), tickets: LARGE, results }, null, 2)}\n`,
);
console.log("written: bench/scale-results.json");
process.exit(0);
