import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testApp, type TestApp } from "../helpers/app.js";

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(() => t.close());

describe("health", () => {
  it("/healthz answers without the database", async () => {
    await t.db.$disconnect();
    const res = await t.app.request("/healthz");
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("ok");
  });

  it("/readyz checks the database and fails while draining", async () => {
    expect((await t.app.request("/readyz")).status).toBe(200);
    t.deps.state.draining = true;
    expect((await t.app.request("/readyz")).status).toBe(503);
    t.deps.state.draining = false;
  });
});
