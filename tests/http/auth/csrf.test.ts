import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Browser, browserAs, createUser, PASSWORD, type TestApp, testApp } from "../../helpers/app.js";

// The CSRF check on every state-changing request, sign-in included.

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(() => t.close());

describe("CSRF", () => {
  it("refuses a POST without the token, with a wrong one, or with another session's, and writes nothing", async () => {
    const a = await browserAs(t, await createUser(t.db));
    const other = await browserAs(t, await createUser(t.db));
    await other.get("/account");
    const before = await t.db.ticket.count();
    const form = { subject: "CSRF attempt", description: "This should never be saved.", priority: "Low" };
    expect((await a.post("/tickets", form, { csrf: null })).status).toBe(403);
    expect((await a.post("/tickets", form, { csrf: "x".repeat(43) })).status).toBe(403);
    expect((await a.post("/tickets", form, { csrf: other.csrf! })).status).toBe(403);
    expect(await t.db.ticket.count()).toBe(before);
    expect((await a.post("/tickets", form)).status).toBe(303);
  });

  it("refuses a cross-site Origin or Sec-Fetch-Site even with a valid token", async () => {
    const a = await browserAs(t, await createUser(t.db));
    const form = { subject: "Cross site", description: "This should never be saved.", priority: "Low" };
    expect((await a.post("/tickets", form, { headers: { Origin: "https://evil.example" } })).status).toBe(403);
    expect((await a.post("/tickets", form, { headers: { "Sec-Fetch-Site": "cross-site" } })).status).toBe(403);
    expect(
      (await a.post("/tickets", form, { headers: { "Sec-Fetch-Site": "same-origin", Origin: "http://localhost" } }))
        .status,
    ).toBe(303);
  });

  it("protects sign-in with a pre-session token and accepts the header htmx sends", async () => {
    const user = await createUser(t.db);
    const b = new Browser(t);
    expect((await b.post("/login", { email: user.email, password: PASSWORD }, { csrf: null })).status).toBe(403);
    await b.get("/login");
    const res = await b.post(
      "/login",
      { email: user.email, password: PASSWORD },
      { csrf: null, headers: { "X-CSRF-Token": b.csrf! }, htmx: "partial" },
    );
    expect(res.status).toBe(204);
    // A whole page load, not a swap: the person's language and direction come with it.
    expect(res.headers.get("HX-Redirect")).toBe("/tickets");
  });
});
