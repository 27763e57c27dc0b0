import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/app.js";
import { createPrisma } from "../../src/db/prisma.js";
import { makeDeps } from "../../src/deps.js";
import { type TestApp, testApp } from "../helpers/app.js";

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

  it("/readyz fails while writes wait on a lock, and recovers when it is released", async () => {
    const url = t.config.databaseUrl;
    if (url.startsWith("file:")) {
      const holder = new Database(url.slice("file:".length));
      holder.exec("BEGIN IMMEDIATE");
      const res = await t.app.request("/readyz");
      holder.exec("ROLLBACK");
      holder.close();
      expect(res.status).toBe(503);
      expect(await res.text()).toBe("database writes are waiting on a lock");
    } else {
      const holder = new pg.Client({ connectionString: url });
      await holder.connect();
      await holder.query('BEGIN; LOCK TABLE "Setting" IN ACCESS EXCLUSIVE MODE');
      const res = await t.app.request("/readyz");
      await holder.query("ROLLBACK");
      await holder.end();
      expect(res.status).toBe(503);
      expect(await res.text()).toBe("database writes are waiting on a lock");
    }
    expect((await t.app.request("/readyz")).status).toBe(200);
  });

  it("/readyz checks the database and fails while draining", async () => {
    expect((await t.app.request("/readyz")).status).toBe(200);
    t.deps.state.draining = true;
    expect((await t.app.request("/readyz")).status).toBe(503);
    t.deps.state.draining = false;
  });
});
