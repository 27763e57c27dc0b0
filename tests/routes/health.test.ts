import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/app.js";
import { createPrisma } from "../../src/db/prisma.js";
import { makeDeps } from "../../src/deps.js";
import { testApp, type TestApp } from "../helpers/app.js";

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(() => t.close());

describe("health", () => {
  it("/healthz answers without the database; /readyz says it is unavailable", async () => {
    // A database that refuses every connection: nothing listens on port 1, and a folder cannot be
    // opened as an SQLite file.
    const url = t.config.databaseUrl.startsWith("file:")
      ? `file:${mkdtempSync(join(tmpdir(), "hyperdesk-not-a-db-"))}`
      : "postgresql://postgres@127.0.0.1:1/none";
    const db = createPrisma(url);
    const app = createApp(makeDeps({ ...t.config, databaseUrl: url }, db, { clock: t.clock, log: () => {} }));
    const healthz = await app.request("/healthz");
    expect(healthz.status).toBe(200);
    expect(await healthz.text()).toBe("ok");
    const readyz = await app.request("/readyz");
    expect(readyz.status).toBe(503);
    expect(await readyz.text()).toBe("database unavailable");
  });

  it("/readyz checks the database and fails while draining", async () => {
    expect((await t.app.request("/readyz")).status).toBe(200);
    t.deps.state.draining = true;
    expect((await t.app.request("/readyz")).status).toBe(503);
    t.deps.state.draining = false;
  });
});
