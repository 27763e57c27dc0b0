import { execFile } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SECRET, type TestApp, testApp } from "./helpers/app.js";
import { startServer } from "./helpers/process.js";

// The settings file is read by every entry point, the real environment winning over it.

const exec = promisify(execFile);
let a: TestApp, b: TestApp;
let file: string;

beforeAll(async () => {
  [a, b] = await Promise.all([testApp(), testApp()]);
  file = join(mkdtempSync(join(tmpdir(), "hyperdesk-env-")), "production.env");
  writeFileSync(file, `# as an operator writes it\nDATABASE_URL=${a.config.databaseUrl}\nAUTH_SECRET=${SECRET}\n`);
}, 120_000);
afterAll(async () => {
  await Promise.all([a.close(), b.close()]);
});

/** The environment of a fresh shell: none of the settings the file holds. */
const bare = () => {
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: "test", ENV_FILE: file };
  delete env.DATABASE_URL;
  delete env.AUTH_SECRET;
  return env;
};

describe("the settings file", () => {
  it("is what a CLI uses, and it says which file it read", async () => {
    const run = await exec("npx", ["tsx", "src/cli/user-create.ts", "--email", "from-file@example.com"], {
      env: bare(),
    });
    expect(run.stderr).toContain(`Settings from ${file}`);
    expect(await a.db.user.count({ where: { email: "from-file@example.com" } })).toBe(1);
    expect(await b.db.user.count({ where: { email: "from-file@example.com" } })).toBe(0);
  }, 120_000);

  it("loses to a variable set in the environment", async () => {
    const env = { ...bare(), DATABASE_URL: b.config.databaseUrl };
    await exec("npx", ["tsx", "src/cli/user-create.ts", "--email", "from-env@example.com"], { env });
    expect(await b.db.user.count({ where: { email: "from-env@example.com" } })).toBe(1);
    expect(await a.db.user.count({ where: { email: "from-env@example.com" } })).toBe(0);
  }, 120_000);

  it("is read by the server, which says so at start; a named file that is missing stops it", async () => {
    const server = await startServer(a.config.databaseUrl, { ENV_FILE: file });
    try {
      expect(server.output()).toContain(`Settings from ${file}`);
      expect((await fetch(`${server.base}/healthz`)).status).toBe(200);
    } finally {
      server.child.kill("SIGTERM");
      await server.exited;
    }
    const missing = exec("npx", ["tsx", "src/cli/user-create.ts", "--email", "x@example.com"], {
      env: { ...bare(), ENV_FILE: `${file}.missing` },
    });
    await expect(missing).rejects.toMatchObject({ stderr: expect.stringContaining("which does not exist") });
  }, 120_000);
});
