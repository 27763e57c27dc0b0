import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Browser, browserAs, createUser, type TestApp, testApp } from "../helpers/app.js";

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(() => t.close());

describe("headers", () => {
  it("sends a nonce CSP and the baseline headers on every page", async () => {
    const res = await t.app.request("/");
    const csp = res.headers.get("Content-Security-Policy")!;
    for (const part of [
      "default-src 'self'",
      "object-src 'none'",
      "base-uri 'none'",
      "frame-ancestors 'none'",
      "form-action 'self'",
    ])
      expect(csp).toContain(part);
    expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+'/);
    expect(csp).not.toContain("unsafe-inline");
    expect(csp).not.toContain("unsafe-eval");
    const nonce = csp.match(/'nonce-([^']+)'/)![1];
    expect(await res.text()).toContain(`nonce="${nonce}"`);
    expect(res.headers.get("X-Content-Type-Options")).toBe("nosniff");
    expect(res.headers.get("Referrer-Policy")).toBe("same-origin");
    expect(res.headers.get("Strict-Transport-Security")).toBeNull();
    expect(res.headers.get("Vary")).toContain("HX-Request");
  });

  it("a new nonce on each request", async () => {
    const a = (await t.app.request("/")).headers.get("Content-Security-Policy");
    const b = (await t.app.request("/")).headers.get("Content-Security-Policy");
    expect(a).not.toBe(b);
  });

  it("marks every signed-in page and fragment no-store", async () => {
    const b = await browserAs(t, await createUser(t.db));
    for (const path of ["/tickets", "/tickets/new", "/account"]) {
      expect((await b.get(path)).headers.get("Cache-Control"), path).toBe("no-store");
      expect((await b.get(path, { htmx: "partial" })).headers.get("Cache-Control"), path).toBe("no-store");
    }
  });

  it("configures htmx without inline styles or eval", async () => {
    const html = await (await t.app.request("/login")).text();
    expect(html).toContain('<meta name="htmx-config" content="{&quot;includeIndicatorCSS&quot;:false');
    expect(html).not.toMatch(/hx-on|style="/);
  });
});

describe("bad requests get 4xx, never 500", () => {
  it("refuses a body over the limit with 413, with or without Content-Length", async () => {
    const b = await browserAs(t, await createUser(t.db));
    await b.get("/tickets/new");
    const big = "x".repeat(t.config.bodyLimitBytes + 10);
    const res = await b.post("/tickets", { subject: "Too big", description: big });
    expect(res.status).toBe(413);
    const stream = new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(`subject=x&description=${big}`));
        controller.close();
      },
    });
    const chunked = await t.app.request("/tickets", {
      method: "POST",
      body: stream,
      headers: { "Content-Type": "application/x-www-form-urlencoded", Cookie: b.cookieHeader() },
      duplex: "half",
    } as RequestInit);
    expect(chunked.status).toBe(413);
    expect(await t.db.ticket.count({ where: { subject: "Too big" } })).toBe(0);
  });

  it("answers 404 with a helpful page", async () => {
    const res = await new Browser(t).get("/no/such/page");
    expect(res.status).toBe(404);
    expect(res.text).toContain("Page not found");
    expect(res.text).toContain("<html");
  });

  it("survives malformed query strings, headers and bodies", async () => {
    const b = await browserAs(t, await createUser(t.db));
    for (const path of ["/tickets?%", "/tickets?q=%ZZ", "/tickets?status[]=x&status=y", "/login?next=%00"])
      expect((await b.get(path)).status, path).toBeLessThan(500);
    const odd = await b.post("/tickets", {}, { headers: { "Content-Type": "multipart/form-data; boundary=nope" } });
    expect(odd.status).toBeLessThan(500);
    const json = await b.request("/tickets", {
      method: "POST",
      body: "{",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": b.csrf ?? "" },
    });
    expect(json.status).toBeLessThan(500);
  });

  it("renders an unexpected error as a plain page with a request id, logging the stack but no secrets", async () => {
    const b = await browserAs(t, await createUser(t.db));
    await b.get("/account");
    // (PostgreSQL: with what refers to it, such as the attachments' foreign key.)
    const cascade = t.config.databaseUrl.startsWith("postgres") ? " CASCADE" : "";
    await t.db.$executeRawUnsafe(`DROP TABLE "Reply"${cascade}`);
    // This test file's database is its own; nothing else reads it after this.
    const res = await b
      .post("/tickets", { subject: "Boom here", description: "This will fail to render.", priority: "Low" })
      .then(async (r) => b.get(r.location!));
    expect(res.status).toBe(500);
    expect(res.text).toContain("Something went wrong");
    const id = res.text.match(/<code>([^<]+)<\/code>/)![1]!;
    const line = t.logs.find((l) => l.id === id && l.level === "error")!;
    expect(line.stack).toBeTruthy();
    const logged = JSON.stringify(t.logs);
    expect(logged).not.toContain(b.cookies.get("hyperdesk_session")!);
    expect(logged).not.toContain("correct horse");
  });
});
