// Shared by the abuse benchmarks: start a built server on a fresh SQLite file, and sample the
// latency of a page while some load runs.
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export async function startBuilt(dist: string, port: number, extra: Record<string, string> = {}) {
  const dir = mkdtempSync(join(tmpdir(), "hyperdesk-bench-"));
  const env = {
    ...process.env,
    DATABASE_URL: `file:${join(dir, "bench.db")}`,
    PORT: String(port),
    NODE_ENV: "test",
    AUTH_SECRET: "bench-secret-that-is-long-enough-for-hs256-0123",
    LOG_REQUESTS: "0",
    ...extra,
  };
  execFileSync("npx", ["prisma", "migrate", "deploy"], { env: { ...env, PRISMA_PROVIDER: "" }, stdio: "ignore" });
  const server = spawn("node", [join(dist, "src/server.js")], { env, stdio: "ignore" });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    if (
      await fetch(`${base}/healthz`)
        .then((r) => r.ok)
        .catch(() => false)
    )
      break;
    await new Promise((r) => setTimeout(r, 100));
  }
  return { base, stop: () => server.kill("SIGTERM") };
}

/** Latency of GET `url` (as a browser asks: compressed) sampled until `work` settles. */
export async function latencyDuring(url: string, work: Promise<unknown>) {
  const times: number[] = [];
  let running = true;
  void work.finally(() => (running = false));
  while (running) {
    const t0 = performance.now();
    await fetch(url, { headers: { "Accept-Encoding": "gzip, br" } }).then(
      (r) => r.arrayBuffer(),
      () => undefined,
    );
    times.push(performance.now() - t0);
    await new Promise((r) => setTimeout(r, 10));
  }
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))]!.toFixed(1);
  return `p50 ${at(0.5)} ms, p99 ${at(0.99)} ms, max ${at(1)} ms (${times.length} samples)`;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
