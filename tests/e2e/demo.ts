import { execFileSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { serve } from "@hono/node-server";
import { createApp } from "../../src/app.js";
import { loadConfig } from "../../src/config.js";
import { createPrisma } from "../../src/db/prisma.js";
import { makeDeps } from "../../src/deps.js";

// The app on a fresh SQLite file with the demo data (`npm run db:seed`), over real HTTP: what the
// screenshot scripts photograph.

export const DEMO_PASSWORD = "hyperdesk demo password";

export async function startDemo() {
  const databaseUrl = `file:${join(mkdtempSync(join(tmpdir(), "hyperdesk-demo-")), "demo.db")}`;
  const env = { ...process.env, DATABASE_URL: databaseUrl, PRISMA_PROVIDER: "", AUTH_SECRET: "s".repeat(44) };
  execFileSync("npx", ["prisma", "migrate", "deploy"], { env, stdio: "ignore" });
  execFileSync("npx", ["tsx", "prisma/seed.ts"], { env, stdio: "ignore" });
  const config = loadConfig({ ...env, LOG_REQUESTS: "0", NODE_ENV: "test" });
  const db = createPrisma(databaseUrl);
  const server = serve({ fetch: createApp(makeDeps(config, db)).fetch, port: 0, hostname: "127.0.0.1" });
  await new Promise((r) => server.once("listening", r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    db,
    close: async () => {
      server.close();
      await db.$disconnect();
    },
  };
}
