// npm run bench:export: the queue's CSV export of EXPORT_TICKETS (200,000) tickets on SQLite and then
// PostgreSQL (BENCH_POSTGRES_URL, `skip` to leave it out), downloaded as a browser does (its
// cookies, Accept-Encoding): the time to the last byte, the bytes sent, and the app's peak RSS while
// it streams, against its RSS at rest before (the goal: the peak stays under 150 MB). Also the
// download read slowly (a 2G link's 30 KB/s for 10 s): the app holds one page of rows, not the file.
import { mkdtempSync } from "node:fs";
import http from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BROWSER_HEADERS, freshPostgres, migrate, rssMb, samplePeak, seed, signIn, startApp } from "./harness.js";

const TICKETS = Number(process.env.EXPORT_TICKETS ?? 200_000);
const POSTGRES_URL = process.env.BENCH_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/hyperdesk_bench";
const PORT = 3915;
const RSS_GOAL_MB = 150;

type Figures = {
  seconds: number;
  mb: number;
  encoding: string;
  rows: number;
  restMb: number;
  peakMb: number;
  slowPeakMb: number;
};

/**
 * Reads a download to its end (or for `seconds`, at `bytesPerSecond`), counting the bytes on the
 * wire (node:http: fetch would count them decompressed). Paced, it reads a chunk only when due, so
 * the socket fills and the server must wait: what a 2G link does.
 */
function download(url: string, cookie: string, pace?: { bytesPerSecond: number; seconds: number }) {
  return new Promise<{ bytes: number; seconds: number; encoding: string | undefined }>((resolve, reject) => {
    const started = performance.now();
    const req = http.get(url, { headers: { ...BROWSER_HEADERS, Cookie: cookie } }, (res) => {
      if (res.statusCode !== 200) return reject(new Error(`${url}: ${res.statusCode}`));
      let bytes = 0;
      const finish = () =>
        resolve({ bytes, seconds: (performance.now() - started) / 1000, encoding: res.headers["content-encoding"] });
      res.on("data", (chunk: Buffer) => {
        bytes += chunk.length;
        if (!pace) return;
        const due = started + (bytes / pace.bytesPerSecond) * 1000;
        if (due - started > pace.seconds * 1000) {
          res.destroy();
          finish();
          return;
        }
        res.pause();
        setTimeout(() => res.resume(), Math.max(0, due - performance.now()));
      });
      res.on("end", finish);
      res.on("error", reject);
    });
    req.on("error", reject);
  });
}

async function run(label: string, databaseUrl: string): Promise<Figures> {
  console.error(`${label}: seeding ${TICKETS.toLocaleString("en")} tickets...`);
  migrate(databaseUrl);
  await seed(databaseUrl, TICKETS);
  const { child } = await startApp(databaseUrl, PORT);
  try {
    const agent = await signIn(PORT, "agent@example.com");
    const url = `http://127.0.0.1:${PORT}/queue/export.csv`;
    // A queue page first (the app as an agent left it), then its RSS at rest.
    await (await fetch(`http://127.0.0.1:${PORT}/queue`, { headers: { Cookie: agent.cookie } })).arrayBuffer();
    await new Promise((r) => setTimeout(r, 1000));
    const restMb = rssMb(child.pid!);
    const stop = samplePeak(child.pid!);
    const { bytes, seconds, encoding } = await download(url, agent.cookie);
    const peakMb = stop();
    const stopSlow = samplePeak(child.pid!);
    await download(url, agent.cookie, { bytesPerSecond: 30_000, seconds: 10 });
    const slowPeakMb = stopSlow();
    // Uncompressed once more, to count its rows.
    const plain = await (await fetch(url, { headers: { Cookie: agent.cookie } })).text();
    const rows = plain.split("\r\n").length - 2;
    return { seconds, mb: bytes / 1e6, encoding: encoding ?? "none", rows, restMb, peakMb, slowPeakMb };
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
    `| ${db} | ${f.rows.toLocaleString("en")} | ${f.seconds.toFixed(1)} s | ${f.mb.toFixed(1)} MB (${f.encoding}) | ${f.restMb.toFixed(0)} MB | ${f.peakMb.toFixed(0)} MB (${f.peakMb < RSS_GOAL_MB ? "met" : "NOT met"}: < ${RSS_GOAL_MB}) | ${f.slowPeakMb.toFixed(0)} MB |`,
  );
process.exit(0);
