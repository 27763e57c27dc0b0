import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, readdirSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import bcrypt from "bcryptjs";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { loadConfig } from "../../src/config.js";
import { knownMigrations } from "../../src/db/backup.js";
import { createPrisma } from "../../src/db/prisma.js";
import { makeDeps } from "../../src/deps.js";
import { loginUser } from "../../src/users/sign-in.js";
import { PASSWORD, SECRET } from "../helpers/app.js";
import { adminSql, freshDatabase, migrate, provider, TEST_DATABASE_URL, withDatabase } from "../helpers/databases.js";
import { spawnServer } from "../helpers/process.js";

// Upgrades (#28): a database made by the previous release's migrations, with people, tickets and
// replies in it, is brought up to date by this version's migrations and works; a database a newer
// version upgraded is refused at start with one clear line, before anything touches it.

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, "../..");
/** The last migration of the release before two-step sign-in, single sign-on and passkeys. */
const PREVIOUS_RELEASE_LAST = "20261207024508_saved_views";

/** An empty database of the suite's kind: its URL and how to drop it. */
async function emptyDatabase() {
  if (provider() === "sqlite")
    return { url: `file:${join(mkdtempSync(join(tmpdir(), "hyperdesk-up-")), "old.db")}`, drop: async () => {} };
  const name = `hyperdesk_up_${randomBytes(5).toString("hex")}`;
  await adminSql(`CREATE DATABASE "${name}"`);
  return {
    url: withDatabase(TEST_DATABASE_URL, name),
    drop: () => adminSql(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
  };
}

/**
 * The previous release's schema, made by its own migrations with the real CLI: a copy of the
 * project whose migrations folder holds only those up to PREVIOUS_RELEASE_LAST.
 */
async function migrateAsPreviousRelease(url: string) {
  const kind = provider();
  const dir = mkdtempSync(join(tmpdir(), "hyperdesk-previous-"));
  for (const name of ["node_modules", "src"]) symlinkSync(join(ROOT, name), join(dir, name));
  for (const name of ["package.json", "prisma.config.ts"]) copyFileSync(join(ROOT, name), join(dir, name));
  mkdirSync(join(dir, "prisma", kind, "migrations"), { recursive: true });
  copyFileSync(join(ROOT, "prisma", kind, "schema.prisma"), join(dir, "prisma", kind, "schema.prisma"));
  const migrations = join(ROOT, "prisma", kind, "migrations");
  copyFileSync(join(migrations, "migration_lock.toml"), join(dir, "prisma", kind, "migrations", "migration_lock.toml"));
  const older = readdirSync(migrations).filter((n) => /^\d{14}_/.test(n) && n <= PREVIOUS_RELEASE_LAST);
  // Copies: the CLI does not follow a symlinked migration folder.
  for (const name of older)
    cpSync(join(migrations, name), join(dir, "prisma", kind, "migrations", name), { recursive: true });
  await run("npx", ["prisma", "migrate", "deploy"], {
    cwd: dir,
    env: { ...process.env, DATABASE_URL: url, PRISMA_PROVIDER: "" },
  });
  return older;
}

describe("upgrading", () => {
  let database: { url: string; drop: () => Promise<void> };
  beforeAll(async () => {
    database = await emptyDatabase();
  });
  afterAll(() => database?.drop());

  it("a database of the previous release, with data, is migrated to this one and keeps everything", async () => {
    const older = await migrateAsPreviousRelease(database.url);
    expect(older.at(-1)).toBe(PREVIOUS_RELEASE_LAST);
    expect(knownMigrations(provider()).length).toBeGreaterThan(older.length);
    // Data as the previous release wrote it (its columns only).
    const hash = await bcrypt.hash(PASSWORD, 12);
    const old = createPrisma(database.url);
    const now = new Date("2026-12-01T10:00:00Z");
    await old.$executeRaw`INSERT INTO "User" (email, name, "passwordHash", role, "createdAt", "updatedAt")
      VALUES ('old@example.com', 'Olga Old', ${hash}, 'agent', ${now}, ${now})`;
    const userId = (await old.$queryRaw<{ id: number }[]>`SELECT id FROM "User" WHERE email = 'old@example.com'`)[0]!
      .id;
    await old.$executeRaw`INSERT INTO "Ticket" (subject, description, "requesterId", "createdAt", "updatedAt")
      VALUES ('Printer jam', 'Tray 2 jams.', ${userId}, ${now}, ${now})`;
    const ticketId = (await old.$queryRaw<{ id: number }[]>`SELECT id FROM "Ticket" WHERE subject = 'Printer jam'`)[0]!
      .id;
    await old.$executeRaw`INSERT INTO "Reply" ("ticketId", "authorId", body, "createdAt") VALUES (${ticketId}, ${userId}, 'Cleared it.', ${now})`;
    await old.$disconnect();

    // This version's start: the check passes (nothing newer), the migrations apply.
    await run("npx", ["tsx", "src/cli/check-schema.ts"], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: database.url },
    });
    migrate(database.url);
    const db = createPrisma(database.url);
    try {
      const user = await db.user.findUniqueOrThrow({ where: { email: "old@example.com" } });
      expect([user.name, user.role, user.totpEnabledAt]).toEqual(["Olga Old", "agent", null]);
      const ticket = await db.ticket.findUniqueOrThrow({ where: { id: ticketId }, include: { replies: true } });
      expect([ticket.subject, ticket.status, ticket.replies.map((r) => r.body)]).toEqual([
        "Printer jam",
        "Open",
        ["Cleared it."],
      ]);
      // And it works as this version: the person signs in (no second step: they have none).
      const config = loadConfig({
        NODE_ENV: "test",
        DATABASE_URL: database.url,
        AUTH_SECRET: SECRET,
      });
      const deps = makeDeps(config, db, { log: () => undefined });
      const signedIn = await loginUser(
        deps,
        { email: "old@example.com", password: PASSWORD },
        { userAgent: "t", address: "1" },
      );
      expect(signedIn.ok && !signedIn.secondStep).toBe(true);
      expect(await db.passkey.count()).toBe(0);
    } finally {
      await db.$disconnect();
    }
  }, 180_000);
});

describe("a database a newer version upgraded", () => {
  let database: { url: string; drop: () => Promise<void> };
  beforeAll(async () => {
    database = await freshDatabase(inject("templateDatabase"));
    const db = createPrisma(database.url);
    const at = new Date();
    await db.$executeRaw`INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, started_at, applied_steps_count)
      VALUES ('future', 'x', ${at}, '29990101000000_from_a_newer_version', ${at}, 1)`;
    await db.$disconnect();
  });
  afterAll(() => database?.drop());

  const line =
    "This database was upgraded by a newer version of Hyperdesk (migration 29990101000000_from_a_newer_version is unknown to this one): start that version or a later one, or restore a backup made before the upgrade.";

  it("is refused before the migrations run, with one line", async () => {
    const refused = await run("npx", ["tsx", "src/cli/check-schema.ts"], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: database.url },
    }).catch((error: { code: number; stderr: string; stdout: string }) => error);
    expect("code" in refused && refused.code).toBe(1);
    // One line says it (after the settings line every entry point prints), and no stack.
    expect(refused.stderr.trim().split("\n").at(-1)).toBe(line);
    expect(refused.stderr).not.toMatch(/\n\s+at /);
  }, 60_000);

  it("is refused by the server itself, started some other way", async () => {
    const child = spawnServer(database.url);
    let out = "";
    child.stderr!.on("data", (d) => (out += d));
    child.stdout!.on("data", (d) => (out += d));
    const code = await new Promise<number | null>((r) => child.once("exit", r));
    expect(code).toBe(1);
    expect(out.trim().split("\n").at(-1)).toBe(line);
    expect(out).not.toMatch(/\n\s+at /);
  }, 60_000);
});
