import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { copyFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL || "postgresql://postgres@127.0.0.1:5432/test";
export const provider = (): "sqlite" | "postgresql" =>
  process.env.TEST_PROVIDER === "postgresql" ? "postgresql" : "sqlite";

/** Applies the real migrations with the real CLI (`prisma migrate deploy`). */
export function migrate(databaseUrl: string): void {
  execFileSync("npx", ["prisma", "migrate", "deploy"], {
    env: { ...process.env, DATABASE_URL: databaseUrl, PRISMA_PROVIDER: "" },
    stdio: "pipe",
  });
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

export async function adminSql(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** A fresh, migrated database for one test file: a copy of the run's template. */
export async function freshDatabase(template: string): Promise<{ url: string; drop: () => Promise<void> }> {
  if (provider() === "sqlite") {
    const dir = mkdtempSync(join(tmpdir(), "hyperdesk-test-"));
    const file = join(dir, "test.db");
    copyFileSync(template, file);
    return { url: `file:${file}`, drop: async () => {} };
  }
  const name = `hyperdesk_t_${randomBytes(5).toString("hex")}`;
  // CREATE DATABASE refuses while another copy of the same template is being made: wait and retry.
  for (let attempt = 0; ; attempt++) {
    try {
      await adminSql(`CREATE DATABASE "${name}" TEMPLATE "${template}"`);
      break;
    } catch (error) {
      if (attempt > 50 || !String(error).includes("being accessed")) throw error;
      await new Promise((r) => setTimeout(r, 100 + Math.random() * 200));
    }
  }
  return {
    url: withDatabase(TEST_DATABASE_URL, name),
    drop: () => adminSql(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
  };
}
