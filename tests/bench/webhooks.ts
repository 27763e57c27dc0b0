// npm run bench:api: two figures of #29, on SQLite and then PostgreSQL (BENCH_POSTGRES_URL, `skip` to
// leave it out), a desk of 1,000 tickets, as ratios within each run.
// 1. The API's ticket list against the HTML queue it mirrors: the same agent, the same first page,
//    what a program and a browser send (Bearer token / session cookie, Accept-Encoding), autocannon.
// 2. What webhooks cost the change that causes them: an API PATCH (priority) one after another,
//    with no endpoint; with three (two answering at once, one that never answers) and no worker
//    running (what the change itself writes); and with the three while the worker (`npm run worker`,
//    its own process) sends; then how long the answering endpoints waited for each event.

import { spawn } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createPrisma } from "../../src/db/prisma.js";
import { BROWSER_HEADERS, freshPostgres, load, migrate, seed, signIn, startApp } from "./harness.js";

const PORT = 3918;
const POSTGRES_URL = process.env.BENCH_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/hyperdesk_bench";
const CHANGES = Number(process.env.BENCH_CHANGES ?? 200);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const base = `http://127.0.0.1:${PORT}`;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const p99 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.ceil(xs.length * 0.99) - 1]!;

/** A receiver: answers 204 at once and notes when each message came, or never answers. */
function receiver(hang: boolean): Promise<{ server: Server; url: string; arrived: Map<string, number> }> {
  const arrived = new Map<string, number>();
  const server = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      if (hang) return;
      arrived.set(String(req.headers["webhook-id"]), performance.now());
      res.writeHead(204).end();
    });
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () =>
      resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, arrived }),
    ),
  );
}

async function bench(label: string, databaseUrl: string) {
  console.error(`${label}: seeding 1,000 tickets...`);
  migrate(databaseUrl);
  await seed(databaseUrl, 1000);
  const db = createPrisma(databaseUrl);
  const agent = await db.user.findUniqueOrThrow({ where: { email: "agent@example.com" } });
  const token = `hd_${randomBytes(32).toString("base64url")}`;
  await db.apiToken.create({
    data: {
      userId: agent.id,
      name: "bench",
      tokenHash: createHash("sha256").update(token).digest("hex"),
      scopes: "tickets:read tickets:write",
    },
  });
  const bearer = { Authorization: `Bearer ${token}`, Accept: "application/json" };
  const env = {
    API_RATE_LIMIT: "1000000",
    WEBHOOK_ALLOW_PRIVATE: "true",
    WEBHOOK_POLL_SECONDS: "0.5",
    MAIL_WORKER: "false",
  };
  const { child } = await startApp(databaseUrl, PORT, undefined, env);
  /** The outbox worker on its own, as a site runs it beside the app (MAIL_WORKER=false there). */
  const startWorker = () =>
    spawn("node", ["dist/src/worker.js"], {
      env: { ...process.env, ...env, NODE_ENV: "production", DATABASE_URL: databaseUrl, AUTH_SECRET: "b".repeat(44) },
      stdio: "ignore",
    });
  const receivers = [await receiver(false), await receiver(false), await receiver(true)];
  try {
    const session = await signIn(PORT, "agent@example.com");
    // 1. Lists.
    const size = async (path: string, headers: Record<string, string>) => {
      const res = await fetch(`${base}${path}`, { headers: { ...BROWSER_HEADERS, ...headers } });
      const body = await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`${path}: ${res.status}`);
      return { bytes: body.byteLength, encoding: res.headers.get("Content-Encoding") ?? "none" };
    };
    const html = await load(`${base}/queue`, { headers: { Cookie: session.cookie } }, SECONDS);
    const json = await load(`${base}/api/v1/tickets`, { headers: bearer }, SECONDS);
    const htmlSize = await size("/queue", { Cookie: session.cookie });
    const jsonSize = await size("/api/v1/tickets", bearer);
    if (html.non2xx || json.non2xx) throw new Error(`non-2xx answers: html ${html.non2xx}, json ${json.non2xx}`);

    // 2. Changes, without and with webhooks.
    const ticket = await db.ticket.findFirstOrThrow({ orderBy: { id: "asc" } });
    const change = async (i: number) => {
      const started = performance.now();
      const res = await fetch(`${base}/api/v1/tickets/${ticket.id}`, {
        method: "PATCH",
        headers: { ...bearer, "Content-Type": "application/json" },
        body: JSON.stringify({ priority: i % 2 ? "High" : "Low" }),
      });
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`PATCH: ${res.status}`);
      return { ms: performance.now() - started, at: started };
    };
    const run = async () => {
      const times: { ms: number; at: number }[] = [];
      for (let i = 0; i < CHANGES; i++) times.push(await change(i));
      return times;
    };
    const without = await run();
    for (const r of receivers)
      await db.webhookEndpoint.create({
        data: { url: r.url, events: "ticket.priority_changed", secret: `whsec_${randomBytes(24).toString("base64")}` },
      });
    const queued = await run();
    const firstNew = (await db.webhookDelivery.aggregate({ _max: { id: true } }))._max.id ?? 0;
    const worker = startWorker();
    // Let it send what the run before left, so the next run's changes meet a worker at work.
    await new Promise((r) => setTimeout(r, 1000));
    const withHooks = await run();
    // The answering endpoints get every event, in order, while the third hangs: wait for them.
    const deadline = Date.now() + 120_000;
    while (receivers[0]!.arrived.size + receivers[1]!.arrived.size < 4 * CHANGES && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 100));
    const deliveries = await db.webhookDelivery.findMany({
      where: { id: { gt: firstNew } },
      orderBy: { id: "asc" },
      select: { messageId: true, endpoint: { select: { url: true } } },
    });
    const lags: number[] = [];
    for (const [i, r] of receivers.slice(0, 2).entries()) {
      const mine = deliveries.filter((d) => d.endpoint.url === r.url);
      mine.forEach((d, n) => {
        const got = r.arrived.get(d.messageId);
        if (got !== undefined) lags.push(got - withHooks[n]!.at);
      });
      if (r.arrived.size !== 2 * CHANGES)
        console.error(`endpoint ${i + 1}: ${r.arrived.size} of ${2 * CHANGES} arrived`);
    }
    worker.kill("SIGTERM");
    await new Promise((r) => worker.once("exit", r));
    const delivered = deliveries.filter((d) => receivers.slice(0, 2).some((r) => r.arrived.has(d.messageId))).length;

    console.log(
      `\nThe API's ticket list and the HTML queue (the same agent's first page, ${SECONDS} s each, ${label}, 1,000 tickets)\n`,
    );
    console.log("| list | req/s | p50 | p99 | bytes sent |");
    console.log("|---|---:|---:|---:|---:|");
    console.log(
      `| HTML /queue | ${html.rps} | ${html.p50} ms | ${html.p99} ms | ${htmlSize.bytes} (${htmlSize.encoding}) |`,
    );
    console.log(
      `| JSON /api/v1/tickets | ${json.rps} | ${json.p50} ms | ${json.p99} ms | ${jsonSize.bytes} (${jsonSize.encoding}) |`,
    );
    console.log(
      `| JSON / HTML | ${(json.rps / html.rps).toFixed(2)}x | | | ${(jsonSize.bytes / htmlSize.bytes).toFixed(2)}x |`,
    );
    console.log(`\nA change (API PATCH, priority), ${CHANGES} one after another, ${label}\n`);
    console.log("| endpoints | p50 | p99 | ratio (p50) |");
    console.log("|---|---:|---:|---:|");
    const ms = (xs: { ms: number }[]) => xs.map((x) => x.ms);
    console.log(`| none | ${median(ms(without)).toFixed(1)} ms | ${p99(ms(without)).toFixed(1)} ms | 1.00x |`);
    const row = (label: string, xs: { ms: number }[]) =>
      console.log(
        `| ${label} | ${median(ms(xs)).toFixed(1)} ms | ${p99(ms(xs)).toFixed(1)} ms | ${(median(ms(xs)) / median(ms(without))).toFixed(2)}x |`,
      );
    row("3, no worker running (the rows the change writes)", queued);
    row("3 (one never answers), the worker sending", withHooks);
    console.log(
      `\nOf the second run's events, the two answering endpoints got ${delivered} of ${2 * CHANGES}, in order, while the third hung; from the change to its arrival: p50 ${median(lags).toFixed(0)} ms, p99 ${p99(lags).toFixed(0)} ms.`,
    );
  } finally {
    child.kill("SIGTERM");
    await new Promise((r) => child.once("exit", r));
    for (const r of receivers) {
      r.server.closeAllConnections();
      r.server.close();
    }
    await db.$disconnect();
  }
}

await bench("SQLite", `file:${join(mkdtempSync(join(tmpdir(), "hyperdesk-api-")), "api.db")}`);
if (POSTGRES_URL !== "skip" && (await freshPostgres(POSTGRES_URL))) await bench("PostgreSQL", POSTGRES_URL);
process.exit(0);
