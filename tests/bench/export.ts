// npm run bench:export: the queue's CSV export of EXPORT_TICKETS (200,000) tickets on SQLite and then
// PostgreSQL (BENCH_POSTGRES_URL, `skip` to leave it out), downloaded as a browser does (its
// cookies, Accept-Encoding): the time to the last byte, the bytes sent, and the app's peak RSS while
// it streams, against its RSS at rest before (the goal: the peak stays under 150 MB). Also the
// download read slowly (a 2G link's 30 KB/s for 10 s): the app holds one page of rows, not the file.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BROWSER_HEADERS, freshPostgres, migrate, rssMb, samplePeak, seed, signIn, startApp } from "./harness.js";

const TICKETS = Number(process.env.EXPORT_TICKETS ?? 200_000);
const POSTGRES_URL = process.env.BENCH_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/hyperdesk_bench";
const PORT = 3915;
const RSS_GOAL_MB = 150;

type Figures = { seconds: number; mb: number; rows: number; restMb: number; peakMb: number; slowPeakMb: number };

/** Reads a download to its end (or for `seconds`, at `bytesPerSecond`), counting bytes and lines. */
async function download(url: string, cookie: string, pace?: { bytesPerSecond: number; seconds: number }) {
  const res = await fetch(url, { headers: { ...BROWSER_HEADERS, Cookie: cookie } });
  if (res.status !== 200) throw new Error(`${url}: ${res.status}`);
  const reader = res.body!.getReader();
  let bytes = 0;
  const started = performance.now();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    bytes += value.length;
    if (pace) {
      const due = started + (bytes / pace.bytesPerSecond) * 1000;
      if (due - started > pace.seconds * 1000) {
        await reader.cancel();
        break;
      }
      await new Promise((r) => setTimeout(r, Math.max(0, due - performance.now())));
    }
  }
  return { bytes, seconds: (performance.now() - started) / 1000 };
}

async function run(label: string, databaseUrl: string): Promise<Figures> {
  console.error(`${label}: seeding ${TICKETS.toLocaleString("en")} tickets...`);
  migrate(databaseUrl);
  await seed(databaseUrl, TICKETS);
  const { child } = await startApp(databaseUrl, PORT);
  try {
    const agent = await signIn(PORT, "agent@example.com");
    const url = `http://127.0.0.1:${PORT}/queue/export.csv`;
    // Uncompressed once, to count its rows.
    const plain = await (await fetch(url, { headers: { Cookie: agent.cookie } })).text();
    const rows = plain.split("\r\n").length - 2;
    const restMb = rssMb(child.pid!);
    const stop = samplePeak(child.pid!);
    const { bytes, seconds } = await download(url, agent.cookie);
    const peakMb = stop();
    const stopSlow = samplePeak(child.pid!);
    await download(url, agent.cookie, { bytesPerSecond: 30_000, seconds: 10 });
    const slowPeakMb = stopSlow();
    return { seconds, mb: bytes / 1e6, rows, restMb, peakMb, slowPeakMb };
  } finally {
    child.kill("SIGTERM");
    await new Promise((r) => child.once("exit", r));
  }
}

const results: Record<string, Figures> = {};
results.SQLite = await run("SQLite", `file:${join(mkdtempSync(join(tmpdir(), "hyperdesk-export-")), "export.db")}`);
if (POSTGRES_URL !== "skip" && (await freshPostgres(POSTGRES_URL)))
  results.PostgreSQL = await run("PostgreSQL", POSTGRES_URL);

console.log(
  `\nThe queue's CSV export of ${TICKETS.toLocaleString("en")} tickets (Accept-Encoding as a browser sends it)\n`,
);
console.log(
  "| database | rows | time to the last byte | sent (compressed) | app RSS at rest | peak while streaming | peak, read at 30 KB/s |",
);
console.log("|---|---:|---:|---:|---:|---:|---:|");
for (const [db, f] of Object.entries(results))
  console.log(
    `| ${db} | ${f.rows.toLocaleString("en")} | ${f.seconds.toFixed(1)} s | ${f.mb.toFixed(1)} MB | ${f.restMb.toFixed(0)} MB | ${f.peakMb.toFixed(0)} MB (${f.peakMb < RSS_GOAL_MB ? "met" : "NOT met"}: < ${RSS_GOAL_MB}) | ${f.slowPeakMb.toFixed(0)} MB |`,
  );
process.exit(0);
