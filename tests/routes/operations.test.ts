import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordMailPoll } from "../../src/operations.js";
import { Browser, browserAs, createUser, type TestApp, testApp } from "../helpers/app.js";

// The operator's view (#28): /admin/operations for admins, and /metrics in the Prometheus text
// format behind a token or an allow-list, never public by default.

const TOKEN = "a-metrics-token-long-enough-0123456789";
let t: TestApp;
beforeAll(async () => {
  t = await testApp({ METRICS_TOKEN: TOKEN, METRICS_ALLOW: "192.0.2.7", TRUST_PROXY: "1" });
});
afterAll(() => t.close());

const scrape = (headers: Record<string, string> = {}) => t.app.request("/metrics", { headers });

/** Every sample line of the text format: a name, optional labels, a number. */
const SAMPLE =
  /^[a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-zA-Z_][a-zA-Z0-9_]*="([^"\\]|\\.)*",?)*\})? -?(\d+(\.\d+)?(e[+-]?\d+)?|\+Inf|NaN)$/;

describe("/metrics", () => {
  it("is not there at all unless a token or an allow-list is set", async () => {
    const plain = await testApp({});
    try {
      expect((await plain.app.request("/metrics")).status).toBe(404);
    } finally {
      await plain.close();
    }
  });

  it("asks for the token, or an allowed address", async () => {
    const none = await scrape();
    expect(none.status).toBe(401);
    expect(none.headers.get("WWW-Authenticate")).toBe('Bearer realm="metrics"');
    expect((await scrape({ Authorization: "Bearer wrong-token-of-some-length" })).status).toBe(401);
    expect((await scrape({ "X-Forwarded-For": "198.51.100.1" })).status).toBe(401);
    expect((await scrape({ "X-Forwarded-For": "192.0.2.7" })).status).toBe(200);
    expect((await scrape({ Authorization: `Bearer ${TOKEN}` })).status).toBe(200);
  });

  it("is valid text format with the desk's figures and this process's requests", async () => {
    const user = await createUser(t.db);
    await t.db.ticket.create({ data: { subject: "Metered", description: "x", requesterId: user.id } });
    await new Browser(t).get("/login");
    await new Browser(t).get("/no-such-page");
    await recordMailPoll(t.deps);
    const res = await scrape({ Authorization: `Bearer ${TOKEN}` });
    expect(res.headers.get("Content-Type")).toBe("text/plain; version=0.0.4; charset=utf-8");
    const text = await res.text();
    const lines = text.trim().split("\n");
    for (const line of lines) if (!line.startsWith("#")) expect(line).toMatch(SAMPLE);
    // Each metric is introduced by its HELP and TYPE.
    const names = new Set(
      lines.filter((l) => !l.startsWith("#")).map((l) => l.split(/[{ ]/)[0]!.replace(/_(bucket|sum|count)$/, "")),
    );
    for (const name of names) {
      expect(text).toContain(`# HELP ${name} `);
      expect(text).toMatch(new RegExp(`# TYPE ${name} (gauge|counter|histogram)`));
    }
    expect(text).toMatch(/^hyperdesk_info\{version="0\.1\.0",database="(sqlite|postgresql)",node="v\d+/m);
    expect(text).toMatch(/^hyperdesk_tickets\{status="Open"\} [1-9]/m);
    expect(text).toMatch(/^hyperdesk_outbox_messages\{status="waiting"\} \d+/m);
    expect(text).toMatch(/^hyperdesk_http_requests_total\{method="GET",status="200"\} [1-9]/m);
    expect(text).toMatch(/^hyperdesk_http_requests_total\{method="GET",status="404"\} [1-9]/m);
    expect(text).toMatch(/^hyperdesk_http_request_duration_seconds_bucket\{le="\+Inf"\} [1-9]/m);
    expect(text).toMatch(/^hyperdesk_inbox_last_poll_timestamp_seconds \d{10}$/m);
    expect(text).toMatch(/^hyperdesk_sessions \d+$/m);
    expect(text).toMatch(/^hyperdesk_database_bytes [1-9]\d*$/m);
    // Counted: the next scrape shows one more 200 for GET.
    const count = (s: string) =>
      Number(s.match(/^hyperdesk_http_requests_total\{method="GET",status="200"\} (\d+)/m)![1]);
    await new Browser(t).get("/login");
    expect(count(await (await scrape({ Authorization: `Bearer ${TOKEN}` })).text())).toBe(count(text) + 1);
  });
});

describe("/admin/operations", () => {
  it("shows an admin what the desk runs with; nobody else", async () => {
    const admin = await browserAs(t, await createUser(t.db, { role: "admin" }));
    await recordMailPoll(t.deps, "connection refused");
    const page = await admin.get("/admin/operations");
    expect(page.status).toBe(200);
    expect(page.text).toContain("Hyperdesk 0.1.0 (Node.js v");
    expect(page.text).toMatch(/SQLite|PostgreSQL/);
    expect(page.text).toContain('href="/admin/outbox?status=failed"');
    expect(page.text).toContain("Last failure:");
    expect(page.text).toContain("connection refused");
    expect(page.text).toContain("On, for METRICS_TOKEN or METRICS_ALLOW");
    expect(
      (await (await browserAs(t, await createUser(t.db, { role: "agent" }))).get("/admin/operations")).status,
    ).toBe(403);
    expect((await new Browser(t).get("/admin/operations")).status).toBe(303);
  });
});
