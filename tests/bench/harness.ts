// What the bench scripts share: a seeded database, the built app on a port, a signed-in browser's
// cookies, a load run with a browser's headers, and the app's memory.
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import http from "node:http";
import autocannon from "autocannon";
import bcrypt from "bcryptjs";
import pg from "pg";
import { createPrisma } from "../../src/db/prisma.js";

export const CONNECTIONS = 50;
export const PASSWORD = "bench password that is long";

export function migrate(databaseUrl: string) {
  execFileSync("npx", ["prisma", "migrate", "deploy"], {
    env: { ...process.env, DATABASE_URL: databaseUrl, PRISMA_PROVIDER: "" },
    stdio: "ignore",
  });
}

/** A requester with this many tickets (added to what is there) and an agent, both with PASSWORD. */
export async function seed(databaseUrl: string, requesterTickets: number) {
  const db = createPrisma(databaseUrl);
  const hash = await bcrypt.hash(PASSWORD, 12);
  const requester = await db.user.upsert({
    where: { email: "bench@example.com" },
    create: { email: "bench@example.com", name: "Bench Requester", passwordHash: hash },
    update: {},
  });
  const agent = await db.user.upsert({
    where: { email: "agent@example.com" },
    create: { email: "agent@example.com", name: "Bench Agent", role: "agent", passwordHash: hash },
    update: {},
  });
  const have = await db.ticket.count({ where: { requesterId: requester.id } });
  const words = ["printer", "wifi", "vpn", "monitor", "keyboard", "scanner", "email", "badge"];
  // Each ticket has a reply from the agent (every fifth an internal note), with words of their own:
  // a staff search reads the thread too, and a search for "toner" finds it only there.
  const replyWords = ["router", "laptop", "phone", "toner", "cable", "screen", "mouse", "switch"];
  // Due times as the SLA subscriber leaves them: spread over a day either side of now (half overdue),
  // at risk half an hour before; Waiting tickets paused, Closed ones with no clock running.
  const now = Date.now();
  const clock = (k: number, status: string) =>
    status === "Closed"
      ? {}
      : status === "Waiting"
        ? { slaPausedAt: new Date(now) }
        : {
            nextDueAt: new Date(now + ((k % 2880) - 1440) * 60_000),
            nextRiskAt: new Date(now + ((k % 2880) - 1470) * 60_000),
          };
  for (let done = have; done < requesterTickets; ) {
    const n = Math.min(5000, requesterTickets - done);
    const created = await db.ticket.createManyAndReturn({
      select: { id: true },
      data: Array.from({ length: n }, (_, i) => ({
        // Each word comes in runs of four, one per status: a search with a status filter has a page to show.
        subject: `Bench ticket ${done + i}: the ${words[Math.floor((done + i) / 4) % words.length]} does not work`,
        description: `Seeded for the benchmark. Ticket ${done + i}.`,
        // Priority runs in blocks of 32 (a word's whole run), so no status or tag goes with one priority;
        // but no Open ticket is Urgent: the search whose filters leave nothing (SIZE_CASES) has one.
        priority: ["Low", "Medium", "High", "Urgent"][
          (done + i) % 4 === 0 && Math.floor((done + i) / 32) % 4 === 3 ? 0 : Math.floor((done + i) / 32) % 4
        ]!,
        status: ["Open", "In progress", "Waiting", "Closed"][(done + i) % 4]!,
        ...clock(done + i, ["Open", "In progress", "Waiting", "Closed"][(done + i) % 4]!),
        requesterId: requester.id,
      })),
    });
    await db.reply.createMany({
      data: created.map(({ id }, i) => ({
        ticketId: id,
        authorId: agent.id,
        body: `Have you tried turning the ${replyWords[Math.floor((done + i) / 3) % replyWords.length]} off and on again?`,
        internal: (done + i) % 5 === 0,
      })),
    });
    // Tags: "wifi" on a quarter of the tickets (runs of three), "rare" on one in 999 (the queue's tag filter,
    // common and rare), neither tied to one status or priority, as a desk's tags are not.
    const [wifi, rare] = await Promise.all(
      ["wifi", "rare"].map((name) => db.tag.upsert({ where: { name }, create: { name }, update: {} })),
    );
    await db.ticketTag.createMany({
      data: created.flatMap(({ id }, i) => [
        ...(Math.floor((done + i) / 3) % 4 === 0 ? [{ ticketId: id, tagId: wifi!.id }] : []),
        ...((done + i) % 999 === 0 ? [{ ticketId: id, tagId: rare!.id }] : []),
      ]),
    });
    done += n;
  }
  // PostgreSQL plans by its statistics; autovacuum refreshes them soon after a table grows this much,
  // so the bench does it at once and measures the plans a running desk would get.
  if (databaseUrl.startsWith("postgres")) await db.$executeRawUnsafe("ANALYZE");
  const ticket = await db.ticket.findFirstOrThrow({ where: { requesterId: requester.id }, orderBy: { id: "desc" } });
  await db.$disconnect();
  return { requester, agent, ticketId: ticket.id };
}

const START: string = JSON.parse(readFileSync("package.json", "utf8")).scripts.start;
/** The Node flags `npm start` gives the app (package.json's start script). */
export const START_FLAGS: string = START.match(/\bnode (.*) dist\/src\/server\.js$/)?.[1] ?? "";
/** The environment it sets before them (MALLOC_ARENA_MAX). */
export const START_ENV: Record<string, string> = Object.fromEntries(
  [...START.matchAll(/(?<=^|\s)([A-Z_]+)=(\S+)(?=.*\bnode )/g)].map((m) => [m[1]!, m[2]!]),
);

/**
 * The built app on the port, started as `npm start` starts it; `nodeFlags` instead of its flags
 * (BENCH_APP_NODE_OPTIONS), on the command line, where every V8 flag is allowed.
 */
export async function startApp(
  databaseUrl: string,
  port: number,
  nodeFlags = process.env.BENCH_APP_NODE_OPTIONS ?? START_FLAGS,
  env: Record<string, string> = START_ENV,
): Promise<{ child: ChildProcess; coldStartMs: number }> {
  const started = performance.now();
  const flags = nodeFlags.split(" ").filter(Boolean);
  const child = spawn("node", [...flags, "dist/src/server.js"], {
    env: {
      ...process.env,
      NODE_ENV: "production",
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      HOST: "127.0.0.1",
      AUTH_SECRET: "b".repeat(44),
      LOG_REQUESTS: "0",
      LOGIN_MAX_FAILURES: "1000",
      LOGIN_MAX_FAILURES_PER_ADDRESS: "100000",
      ...env,
    },
    stdio: "ignore",
  });
  let exited: number | null = null;
  child.once("exit", (code) => {
    exited = code ?? -1;
  });
  for (;;) {
    if (exited !== null) throw new Error(`the app exited (${exited}) before answering, started with: ${nodeFlags}`);
    try {
      if ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok)
        return { child, coldStartMs: performance.now() - started };
    } catch {}
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Signs in as a browser does; its cookies, and a CSRF token for forms. */
export async function signIn(port: number, email: string) {
  const jar = new Map<string, string>();
  const keep = (res: Response) => {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(";");
      const i = pair!.indexOf("=");
      jar.set(pair!.slice(0, i), pair!.slice(i + 1));
    }
  };
  const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join("; ");
  const login = await fetch(`http://127.0.0.1:${port}/login`);
  keep(login);
  const csrf = (await login.text()).match(/name="_csrf" value="([^"]+)"/)![1]!;
  const res = await fetch(`http://127.0.0.1:${port}/login`, {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Cookie: cookie() },
    body: new URLSearchParams({ email, password: PASSWORD, _csrf: csrf }),
  });
  keep(res);
  const page = await fetch(`http://127.0.0.1:${port}/account`, { headers: { Cookie: cookie() } });
  return { cookie: cookie(), csrf: (await page.text()).match(/name="_csrf" value="([^"]+)"/)![1]! };
}

export type Figures = { rps: number; p50: number; p99: number; non2xx: number };
/** What a browser sends with every request (cookies come with each case): compression is measured too. */
export const BROWSER_HEADERS = {
  "Accept-Encoding": "gzip, deflate, br",
  Accept: "text/html,application/xhtml+xml",
  "Accept-Language": "en-US,en;q=0.9",
};
export async function load(
  url: string,
  options: Partial<autocannon.Options> = {},
  duration = Number(process.env.BENCH_SECONDS ?? 10),
): Promise<Figures> {
  const headers = { ...BROWSER_HEADERS, ...(options.headers ?? {}) };
  const r = await autocannon({ url, connections: CONNECTIONS, duration, ...options, headers });
  return { rps: Math.round(r.requests.average), p50: r.latency.p50, p99: r.latency.p99, non2xx: r.non2xx };
}

/**
 * Latency at a steady rate: requests due evenly spaced (every 10 ms at 100 req/s), sent open loop
 * over `connections` keep-alive sockets, each timed from when it was due, so a stall delays the
 * requests behind it in the figures too. (autocannon's `overallRate` is a per-second budget that
 * every connection spends at once at the top of each second: a burst at saturation, then silence.)
 * The first `warmupSeconds` are sent but not counted: right after a run at saturation the process
 * is still giving back the heap it grew, with pauses of 30-70 ms in the first seconds (measured).
 */
export async function paced(
  url: string,
  headers: Record<string, string>,
  { rate = 100, seconds = 10, warmupSeconds = 5, connections = 10 } = {},
): Promise<{ p50: number; p99: number; max: number; rps: number; errors: number }> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const total = Math.round((warmupSeconds + seconds) * rate);
  const counted = Math.round(warmupSeconds * rate);
  const latencies: number[] = [];
  let errors = 0;
  const start = performance.now() + 10;
  await new Promise<void>((resolve) => {
    let sent = 0;
    let finished = 0;
    const done = (i: number, due: number, ok: boolean) => {
      if (i >= counted) latencies.push(performance.now() - due);
      if (!ok) errors++;
      if (++finished === total) resolve();
    };
    const tick = () => {
      // Every request due by now goes out (the agent queues any beyond the sockets it has).
      while (sent < total && start + (sent * 1000) / rate <= performance.now()) {
        const i = sent++;
        const due = start + (i * 1000) / rate;
        http
          .get(url, { agent, headers: { ...BROWSER_HEADERS, ...headers } }, (res) => {
            res.resume();
            res.once("end", () => done(i, due, res.statusCode === 200));
          })
          .once("error", () => done(i, due, false));
      }
      if (sent < total) setTimeout(tick, Math.max(0, start + (sent * 1000) / rate - performance.now()));
    };
    setTimeout(tick, 10);
  });
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const at = (q: number) =>
    Number(latencies[Math.min(latencies.length - 1, Math.ceil(q * latencies.length) - 1)]!.toFixed(1));
  return { p50: at(0.5), p99: at(0.99), max: at(1), rps: rate, errors };
}

const status = (pid: number, field: string) =>
  Number(readFileSync(`/proc/${pid}/status`, "utf8").match(new RegExp(`${field}:\\s+(\\d+)`))![1]) / 1024;

export const rssMb = (pid: number) => status(pid, "VmRSS");

/**
 * The app's peak RSS while the load runs: `stop()` ends it and says the peak. The kernel's own high
 * water mark (VmHWM), reset at the start (`/proc/<pid>/clear_refs`, Linux 4.0+), sees a peak between
 * two samples; sampled every 50 ms as well, for a kernel that refuses the reset.
 */
export function samplePeak(pid: number) {
  let peak = 0;
  let reset = false;
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, "5");
    reset = true;
  } catch {}
  const timer = setInterval(() => {
    try {
      peak = Math.max(peak, rssMb(pid));
    } catch {}
  }, 50);
  return () => {
    clearInterval(timer);
    try {
      if (reset) peak = Math.max(peak, status(pid, "VmHWM"));
    } catch {}
    return peak;
  };
}

/** The list, a requester's search and the queue's search (replies and notes too, with status counts). */
export const SIZE_CASES = {
  list: "/tickets",
  // An agent's queue as it opens: every status's tab counted over the whole desk.
  queue: "/queue",
  search: "/tickets?q=scanner&status=Open",
  queueSearch: "/queue?q=scanner",
  // A word only the replies hold (one ticket in eight): before the search rows, PostgreSQL read every
  // reply in the desk for it, 140 ms a page at 200,000.
  queueSearchReplies: "/queue?q=toner",
  // No Open ticket is Urgent in the seed: the filter leaves nothing, and every match is looked at.
  queueSearchEmpty: "/queue?q=scanner&status=Open&priority=Urgent",
  // The nearest due time first over every ticket not closed, and the overdue ones (index [nextDueAt, id]).
  queueDue: "/queue?status=active&sort=due",
  queueOverdue: "/queue?status=active&due=overdue&sort=due",
  // A tag on a quarter of the desk, and one on a thousandth (tickets read from the tag's index).
  queueTag: "/queue?tag=wifi",
  queueTagRare: "/queue?tag=rare&status=active",
} as const;

/** Each size case in words. */
export const SIZE_LABELS: Record<keyof typeof SIZE_CASES, string> = {
  list: "list page",
  queue: "queue, no search (status tabs over every ticket)",
  search: "search (requester, + status)",
  queueSearch: "queue search (staff)",
  queueSearchReplies: "queue search, a word in replies only",
  queueSearchEmpty: "queue search, nothing in the filter (worst case)",
  queueDue: "queue, due soonest",
  queueOverdue: "queue, overdue, due soonest",
  queueTag: "queue, a common tag",
  queueTagRare: "queue, a rare tag, not closed",
};

/** A fresh PostgreSQL database at `databaseUrl` (dropped and made anew), or false when no server answers. */
export async function freshPostgres(databaseUrl: string): Promise<boolean> {
  const url = new URL(databaseUrl);
  const name = url.pathname.slice(1);
  const admin = new pg.Client({ connectionString: Object.assign(new URL(url), { pathname: "/postgres" }).toString() });
  try {
    await admin.connect();
  } catch {
    return false;
  }
  await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  return true;
}
