import { timingSafeEqual } from "node:crypto";
import type { Context, MiddlewareHandler } from "hono";
import type { AppEnv, Deps } from "../env.js";
import { operationsOf } from "../operations.js";
import { requestMeta } from "./auth/middleware.js";

// /metrics in the Prometheus text format (0.0.4): the operator page's figures, and this process's
// request counts and latencies. Never public: METRICS_TOKEN (Authorization: Bearer) or an address
// in METRICS_ALLOW; with neither set the path does not exist (404).

const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** This process's requests: counts by method and status, and one latency histogram. */
class RequestMetrics {
  counts = new Map<string, number>();
  buckets = BUCKETS.map(() => 0);
  sum = 0;
  total = 0;

  observe(method: string, status: number, seconds: number) {
    const key = `${method} ${status}`;
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
    BUCKETS.forEach((le, i) => {
      if (seconds <= le) this.buckets[i]!++;
    });
    this.sum += seconds;
    this.total++;
  }
}

const perDeps = new WeakMap<Deps, RequestMetrics>();
const metricsOf = (deps: Deps) => {
  const known = perDeps.get(deps);
  if (known) return known;
  const made = new RequestMetrics();
  perDeps.set(deps, made);
  return made;
};

/** Counts every request (but /metrics itself) and how long it took. */
export const countRequests: MiddlewareHandler<AppEnv> = async (c, next) => {
  const started = performance.now();
  await next();
  if (c.req.path === "/metrics") return;
  metricsOf(c.var.deps).observe(c.req.method, c.res.status, (performance.now() - started) / 1000);
};

const same = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/** Whether this request may read /metrics: null when it may, else the answer. */
function refusal(c: Context<AppEnv>): Response | null {
  const { token, allow } = c.var.deps.config.metrics;
  if (!token && !allow.length) return c.text("Not Found", 404);
  const sent = c.req.header("Authorization")?.match(/^Bearer (.+)$/)?.[1];
  if (token && sent && same(sent, token)) return null;
  if (allow.includes(requestMeta(c).address)) return null;
  if (token) c.header("WWW-Authenticate", 'Bearer realm="metrics"');
  return c.text(token ? "Unauthorized" : "Forbidden", token ? 401 : 403);
}

const quoted = (v: string) => v.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
const labels = (l: Record<string, string>) =>
  `{${Object.entries(l)
    .map(([k, v]) => `${k}="${quoted(v)}"`)
    .join(",")}}`;

/** GET /metrics */
export async function metrics(c: Context<AppEnv>) {
  const refused = refusal(c);
  if (refused) return refused;
  const { deps } = c.var;
  const ops = await operationsOf(deps);
  const out: string[] = [];
  const metric = (name: string, type: string, help: string, rows: [Record<string, string>, number][]) => {
    out.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    for (const [l, v] of rows) out.push(`${name}${Object.keys(l).length ? labels(l) : ""} ${v}`);
  };
  metric("hyperdesk_info", "gauge", "The running version and its database.", [
    [{ version: ops.version, database: ops.provider, node: ops.node }, 1],
  ]);
  if (ops.databaseBytes !== null)
    metric("hyperdesk_database_bytes", "gauge", "Size of the database.", [[{}, ops.databaseBytes]]);
  if (ops.diskFree !== null)
    metric("hyperdesk_disk_free_bytes", "gauge", "Disk space left beside the SQLite database.", [[{}, ops.diskFree]]);
  const byStatus = (counts: Record<string, number>) =>
    Object.entries(counts).map(([status, n]) => [{ status }, n] as [Record<string, string>, number]);
  const at = (date: Date | null): [Record<string, string>, number][] =>
    date ? [[{}, Math.floor(date.getTime() / 1000)]] : [];
  metric("hyperdesk_outbox_messages", "gauge", "Mail in the outbox, by status.", byStatus(ops.outbox));
  metric("hyperdesk_outbox_last_sent_timestamp_seconds", "gauge", "When a message was last sent.", at(ops.lastSent));
  metric("hyperdesk_inbox_last_poll_timestamp_seconds", "gauge", "When the mailbox was last read.", at(ops.lastPoll));
  metric("hyperdesk_sessions", "gauge", "Sessions in use (signed in, not idle).", [[{}, ops.sessions]]);
  metric("hyperdesk_tickets", "gauge", "Tickets, by status.", byStatus(ops.tickets));
  const m = metricsOf(deps);
  metric(
    "hyperdesk_http_requests_total",
    "counter",
    "Requests this process answered, by method and status.",
    [...m.counts].map(([key, n]) => {
      const [method, status] = key.split(" ");
      return [{ method: method!, status: status! }, n];
    }),
  );
  out.push(
    "# HELP hyperdesk_http_request_duration_seconds How long this process took to answer.",
    "# TYPE hyperdesk_http_request_duration_seconds histogram",
    ...BUCKETS.map((le, i) => `hyperdesk_http_request_duration_seconds_bucket{le="${le}"} ${m.buckets[i]}`),
    `hyperdesk_http_request_duration_seconds_bucket{le="+Inf"} ${m.total}`,
    `hyperdesk_http_request_duration_seconds_sum ${m.sum}`,
    `hyperdesk_http_request_duration_seconds_count ${m.total}`,
  );
  c.header("Cache-Control", "no-store");
  return c.body(`${out.join("\n")}\n`, 200, { "Content-Type": "text/plain; version=0.0.4; charset=utf-8" });
}
