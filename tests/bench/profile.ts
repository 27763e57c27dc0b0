// npm run bench:profile -- [path] [seconds]: where the app's CPU goes on one page under the bench
// load (SQLite, 1,000 tickets, npm start's flags plus --cpu-prof). Prints the functions and the
// packages with the most time of their own, so a change to the hot path starts from a measurement.
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { load, migrate, START_FLAGS, seed, signIn, startApp } from "./harness.js";

const path = process.argv[2] ?? "/tickets";
const seconds = Number(process.argv[3] ?? 10);
const dir = mkdtempSync(join(tmpdir(), "hyperdesk-profile-"));
// BENCH_PROFILE_DATABASE_URL: profile on another database (a PostgreSQL one is used as it is).
const databaseUrl = process.env.BENCH_PROFILE_DATABASE_URL ?? `file:${join(dir, "profile.db")}`;
const port = 3910;
migrate(databaseUrl);
const { ticketId } = await seed(databaseUrl, 1000);
const { child } = await startApp(databaseUrl, port, `${START_FLAGS} --cpu-prof --cpu-prof-dir=${dir}`);
// The queue is for staff: its pages are loaded as the seed's agent.
const { cookie } = await signIn(port, path.startsWith("/queue") ? "agent@example.com" : "bench@example.com");
const url = `http://127.0.0.1:${port}${path.replace(":id", String(ticketId))}`;
const figures = await load(url, { headers: { Cookie: cookie } }, seconds);
child.kill("SIGTERM");
await new Promise((r) => child.once("exit", r));

type Node = { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; hitCount?: number };
const file = readdirSync(dir).find((f) => f.endsWith(".cpuprofile"))!;
const profile = JSON.parse(readFileSync(join(dir, file), "utf8")) as {
  nodes: Node[];
  startTime: number;
  endTime: number;
};
const total = profile.nodes.reduce((n, node) => n + (node.hitCount ?? 0), 0);
const where = (url: string) => {
  const pkg = url.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/)?.[1];
  if (pkg) return pkg;
  if (url.includes("/dist/")) return `app: ${url.split("/dist/")[1]!.split("/").slice(0, 2).join("/")}`;
  return url.startsWith("node:") ? url : url ? "other" : "(native, GC, idle)";
};
const byFunction = new Map<string, number>();
const byPlace = new Map<string, number>();
for (const node of profile.nodes) {
  const hits = node.hitCount ?? 0;
  const { functionName, url, lineNumber } = node.callFrame;
  const name = `${functionName || "(anonymous)"}  ${url.split("/").slice(-2).join("/")}:${lineNumber + 1}`;
  byFunction.set(name, (byFunction.get(name) ?? 0) + hits);
  byPlace.set(where(url), (byPlace.get(where(url)) ?? 0) + hits);
}
const top = (m: Map<string, number>, n: number) =>
  [...m]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([k, v]) => `  ${((v / total) * 100).toFixed(1).padStart(5)} %  ${k}`)
    .join("\n");
console.log(`${path}: ${figures.rps} req/s, p50 ${figures.p50} ms, p99 ${figures.p99} ms over ${seconds} s`);
console.log(
  `\nself time by place:\n${top(byPlace, 20)}\n\nself time by function:\n${top(byFunction, Number(process.env.PROFILE_TOP ?? 30))}`,
);
