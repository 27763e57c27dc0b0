// npm run bench:passwords [-- DIST_DIR]: /healthz latency while 50 sign-ins arrive at once, the
// question being whether password work stalls page views. Prints figures, asserts nothing.
// Pass another build's dist folder (for example one built from an older commit) to compare.
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const dist = process.argv[2] ?? "dist";
const dir = mkdtempSync(join(tmpdir(), "hyperdesk-flood-"));
const env = {
  ...process.env,
  DATABASE_URL: `file:${join(dir, "flood.db")}`,
  PORT: "3950",
  NODE_ENV: "test",
  AUTH_SECRET: "bench-secret-that-is-long-enough-for-hs256-0123",
  LOG_REQUESTS: "0",
  TRUST_PROXY: "1",
  LOGIN_MAX_FAILURES_PER_ADDRESS: "1000",
};
execFileSync("npx", ["prisma", "migrate", "deploy"], { env: { ...env, PRISMA_PROVIDER: "" }, stdio: "ignore" });
const server = spawn("node", [join(dist, "src/server.js")], { env, stdio: "ignore" });
const base = "http://127.0.0.1:3950";
for (let i = 0; i < 100; i++) {
  if (
    await fetch(`${base}/healthz`)
      .then((r) => r.ok)
      .catch(() => false)
  )
    break;
  await new Promise((r) => setTimeout(r, 100));
}

async function healthzDuring(work: Promise<unknown>) {
  const times: number[] = [];
  let running = true;
  void work.finally(() => (running = false));
  while (running) {
    const t0 = performance.now();
    await fetch(`${base}/healthz`, { headers: { "Accept-Encoding": "gzip, br" } });
    times.push(performance.now() - t0);
    await new Promise((r) => setTimeout(r, 10));
  }
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))]!.toFixed(1);
  return { samples: times.length, p50: at(0.5), p99: at(0.99), max: at(1) };
}

/** One sign-in attempt as a browser sends it: the CSRF cookie and token from the sign-in page. */
async function signIn(i: number) {
  const page = await fetch(`${base}/login`);
  const cookie = page.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
  const csrf = (await page.text()).match(/name="_csrf" value="([^"]+)"/)![1]!;
  const body = new URLSearchParams({ email: `flood${i}@example.com`, password: "not the password", _csrf: csrf });
  const headers = {
    Cookie: cookie,
    "Content-Type": "application/x-www-form-urlencoded",
    "X-Forwarded-For": `198.51.100.${i}`,
  };
  return (await fetch(`${base}/login`, { method: "POST", body, headers, redirect: "manual" })).status;
}

const idle = await healthzDuring(new Promise((r) => setTimeout(r, 1000)));
const t0 = performance.now();
let statuses: number[] = [];
const flood = await healthzDuring(
  Promise.all(Array.from({ length: 50 }, (_, i) => signIn(i))).then((s) => {
    statuses = s;
  }),
);
const floodMs = performance.now() - t0;
server.kill("SIGTERM");
const count = (s: number) => statuses.filter((x) => x === s).length;
console.log(`build: ${dist}`);
console.log(`/healthz idle:                  p50 ${idle.p50} ms, p99 ${idle.p99} ms (${idle.samples} samples)`);
console.log(
  `/healthz during 50 sign-ins:    p50 ${flood.p50} ms, p99 ${flood.p99} ms, max ${flood.max} ms (${flood.samples} samples)`,
);
console.log(
  `the 50 sign-ins took ${floodMs.toFixed(0)} ms: ${count(401)} refused (401), ${count(503)} busy (503), ${count(429)} throttled (429)`,
);
