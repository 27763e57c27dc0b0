import { execFileSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testApp, type TestApp } from "../helpers/app.js";

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
