import { execFileSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { type TestApp, testApp } from "../helpers/app.js";

// These tests start processes (tsx compiles on start, bcrypt hashes): on a busy 2-core machine a
// start alone has taken over 10 s, so each gets two minutes rather than the suite's 30 s.
vi.setConfig({ testTimeout: 120_000, hookTimeout: 120_000 });

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(() => t.close());

const run = (...args: string[]) =>
  execFileSync("npx", ["tsx", "src/cli/user-create.ts", ...args], {
    env: { ...process.env, DATABASE_URL: t.config.databaseUrl, AUTH_SECRET: "x".repeat(40), NODE_ENV: "test" },
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  });

describe("npm run user:create", () => {
  it("creates an admin with a generated password, and refuses bad input", async () => {
    const out = run("--email", "Ops@Example.com", "--role", "admin", "--name", "Ops");
    expect(out).toMatch(/ops@example.com is an admin \(id \d+\)\.\nPassword: \S{16,}/);
    expect((await t.db.user.findUniqueOrThrow({ where: { email: "ops@example.com" } })).role).toBe("admin");
    expect(() => run("--email", "x@example.com", "--role", "boss")).toThrow(/--role must be/);
  });
});

describe("npm run user:create on an existing account", () => {
  it("keeps an admin's role unless --role says otherwise, and the last admin stays one", async () => {
    run("--email", "boss@example.com", "--role", "admin");
    await t.db.user.updateMany({
      where: { role: "admin", email: { not: "boss@example.com" } },
      data: { role: "agent" },
    });
    const out = run("--email", "boss@example.com", "--name", "The Boss");
    expect(out).toContain("boss@example.com is an admin");
    const boss = await t.db.user.findUniqueOrThrow({ where: { email: "boss@example.com" } });
    expect([boss.role, boss.name]).toEqual(["admin", "The Boss"]);
    expect(() => run("--email", "boss@example.com", "--role", "requester")).toThrow(/last admin/);
    expect((await t.db.user.findUniqueOrThrow({ where: { email: "boss@example.com" } })).role).toBe("admin");
  });

  it("setting a password ends every session of the account", async () => {
    run("--email", "kiosk@example.com");
    const user = await t.db.user.findUniqueOrThrow({ where: { email: "kiosk@example.com" } });
    const expiresAt = new Date(t.clock.t + 3_600_000);
    await t.db.session.create({ data: { id: "s-kiosk-1", userId: user.id, expiresAt } });
    const out = run("--email", "kiosk@example.com", "--password", "a long new kiosk passphrase");
    expect(out).toContain("1 session ended");
    expect((await t.db.session.findUniqueOrThrow({ where: { id: "s-kiosk-1" } })).revokedAt).not.toBeNull();
  });
});
