import { execFileSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
import { createPrisma } from "../../src/db/prisma.js";
import { adminSql, provider, TEST_DATABASE_URL, withDatabase } from "../helpers/databases.js";

// These tests start processes (tsx compiles on start, bcrypt hashes): on a busy 2-core machine a
// start alone has taken over 10 s, so each gets two minutes rather than the suite's 30 s.
vi.setConfig({ testTimeout: 120_000, hookTimeout: 120_000 });

// A newcomer's first commands on a database that has never been migrated.

const name = `hyperdesk_seed_${process.pid}`;
const url =
  provider() === "sqlite"
    ? `file:${join(mkdtempSync(join(tmpdir(), "hyperdesk-seed-")), "fresh.db")}`
    : withDatabase(TEST_DATABASE_URL, name);
afterAll(async () => {
  if (provider() === "postgresql") await adminSql(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
});

const run = (script: string, ...args: string[]) =>
  execFileSync("npx", ["tsx", script, ...args], {
    env: { ...process.env, DATABASE_URL: url, AUTH_SECRET: "x".repeat(40), NODE_ENV: "test" },
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  });

describe("on a fresh database", () => {
  it("user:create says to migrate first, and db:seed migrates, then seeds", async () => {
    if (provider() === "postgresql") await adminSql(`CREATE DATABASE "${name}"`);
    expect(() => run("src/cli/user-create.ts", "--email", "ops@example.com")).toThrow(/run npm run db:migrate/);
    const out = run("prisma/seed.ts");
    expect(out).toContain("Demo accounts");
    const db = createPrisma(url);
    expect(await db.user.count()).toBe(6);
    expect(await db.ticket.count()).toBe(50);
    await db.$disconnect();
  });
});
