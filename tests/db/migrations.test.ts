import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { composeSchema, PROVIDERS, schemaPath } from "../../prisma/compose.js";
import { type TestApp, testApp } from "../helpers/app.js";
import { provider } from "../helpers/databases.js";

let t: TestApp;

/**
 * `prisma db push` (6.19, JavaScript engine) prints its verdict and then does not exit: read the
 * verdict, then end it.
 */
function dbPushVerdict(databaseUrl: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn("npx", ["prisma", "db", "push", "--skip-generate"], {
      env: { ...process.env, DATABASE_URL: databaseUrl, PRISMA_PROVIDER: "" },
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    let out = "";
    const finish = () => {
      clearTimeout(timer);
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {}
      resolve(out);
    };
    const timer = setTimeout(finish, 45_000);
    const read = (chunk: Buffer) => {
      out += chunk.toString();
      if (/already in sync|now in sync|Error|data loss/i.test(out)) setTimeout(finish, 200);
    };
    child.stdout.on("data", read);
    child.stderr.on("data", read);
    child.on("error", reject);
    child.on("exit", finish);
  });
}
/**
 * SQLite's search index (an FTS5 table, its view and its triggers, the full_text_search migration) has no
 * words in Prisma's schema, so `db push` would drop it: compare a copy without it; everything else
 * must match exactly. PostgreSQL's trigram indexes are in the models.
 */
async function withoutSearchTables(): Promise<string> {
  if (provider() !== "sqlite") return t.config.databaseUrl;
  const copy = join(mkdtempSync(join(tmpdir(), "hyperdesk-drift-")), "copy.db");
  await t.db.$executeRawUnsafe(`VACUUM INTO '${copy}'`);
  const db = new Database(copy);
  const names = db.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE '%search%'").all();
  expect(names).toHaveLength(6);
  for (const { name } of names as { name: string }[]) db.exec(`DROP TRIGGER "${name}"`);
  db.exec('DROP VIEW "TicketSearchText"; DROP TABLE "TicketSearch";');
  db.close();
  return `file:${copy}`;
}

beforeAll(async () => {
  t = await testApp();
});
afterAll(() => t.close());

describe("migrations match the models (no drift)", () => {
  it.each(PROVIDERS)("prisma/%s/schema.prisma is composed from prisma/models.prisma", (p) => {
    expect(readFileSync(schemaPath(p), "utf8"), "run: npm run db:migration -- <name>").toBe(composeSchema(p));
  });

  it(`a database built by the ${provider()} migrations is exactly the schema of the models`, async () => {
    // The test database was built by `prisma migrate deploy`; `db push` would change anything the
    // migrations left out, so it must find nothing to do.
    const out = await dbPushVerdict(await withoutSearchTables());
    expect(out, "a model changed without a migration: run npm run db:migration -- <name>").toContain("already in sync");
  });
});

describe.runIf(provider() === "sqlite")("SQLite connection settings", () => {
  it("runs in WAL mode with a busy timeout of at least 5 s and foreign keys on", async () => {
    const pragma = async (name: string) =>
      Object.values((await t.db.$queryRawUnsafe<Record<string, unknown>[]>(`PRAGMA ${name}`))[0]!)[0];
    expect(await pragma("journal_mode")).toBe("wal");
    expect(Number(await pragma("busy_timeout"))).toBeGreaterThanOrEqual(5000);
    expect(Number(await pragma("foreign_keys"))).toBe(1);
  });
});
