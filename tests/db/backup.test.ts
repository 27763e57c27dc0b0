import { execFile, execFileSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BackupError, backup, knownMigrations, MANIFEST, readManifest, restore } from "../../src/db/backup.js";
import { createPrisma } from "../../src/db/prisma.js";
import type { CurrentUser } from "../../src/env.js";
import { openTicket } from "../../src/tickets/open.js";
import { addReply } from "../../src/tickets/thread.js";
import { createUser, type TestApp, testApp } from "../helpers/app.js";
import { adminSql, provider, withDatabase } from "../helpers/databases.js";

// Backups while the desk runs, and restores: a backup taken in the middle of a burst of new tickets
// (each with a reply and a file) holds every one acknowledged before it began, bytes and all; a
// restore refuses a backup of the other database kind or of a newer schema.

let t: TestApp;
let rita: CurrentUser;
let agent: CurrentUser;
const run = promisify(execFile);
const dirs = () => mkdtempSync(join(tmpdir(), "hyperdesk-backup-"));

beforeAll(async () => {
  t = await testApp();
  rita = await createUser(t.db, { name: "Rita Requester" });
  agent = await createUser(t.db, { role: "agent", name: "Alex Agent" });
});
afterAll(() => t.close());

/** One ticket with a file and a reply: acknowledged once all three are committed. */
async function ticketWithFileAndReply(n: number) {
  const bytes = new TextEncoder().encode(`file ${n} ${randomBytes(8).toString("hex")}`);
  const hash = createHash("sha256").update(bytes).digest("hex");
  const file = { name: `note-${n}.txt`, type: "text/plain", size: bytes.length, hash, bytes };
  const input = { subject: `Burst ${n}`, description: "During the backup.", priority: "Low" as const };
  const { id } = await openTicket(t.deps, rita, input, undefined, { files: [file] });
  const ticket = await t.db.ticket.findUniqueOrThrow({ where: { id } });
  await addReply(t.deps, agent, ticket, `Answer ${n}`);
  return { id, hash };
}

describe("a backup taken while the desk writes", () => {
  it("holds every ticket, reply and file acknowledged before it began, and restores as a working database", async () => {
    const acknowledged: { id: number; hash: string; at: number }[] = [];
    let stop = false;
    let failed: unknown;
    const burst = (async () => {
      for (let n = 0; !stop && n < 20_000; n++) {
        acknowledged.push({ ...(await ticketWithFileAndReply(n)), at: Date.now() });
        // As requests arrive: between two, the process does its other work (SQLite's driver
        // answers at once, so without this the loop would never let a timer run).
        await new Promise((r) => setImmediate(r));
      }
    })().catch((error) => {
      failed = error;
    });
    /** Waits for the burst to have acknowledged `n` tickets (or to have failed: the test says why). */
    const until = async (n: number) => {
      while (acknowledged.length < n && !failed) await new Promise((r) => setTimeout(r, 5));
      if (failed) throw failed;
    };
    await until(15);
    const began = Date.now();
    const before = acknowledged.filter((a) => a.at < began);
    const dir = join(dirs(), "backup");
    // As an operator takes it: `npm run db:backup` in a process of its own while this one writes on.
    const env = { ...process.env, DATABASE_URL: t.config.databaseUrl, NODE_ENV: "test" };
    const during = acknowledged.length;
    await run("npx", ["tsx", "src/cli/backup.ts", dir], { env });
    expect(acknowledged.length, "tickets were written while the backup ran").toBeGreaterThan(during);
    const manifest = readManifest(dir);
    // The burst goes on after it too.
    await until(before.length + 10);
    stop = true;
    await burst;
    expect(manifest.provider).toBe(provider());
    expect(manifest.migration).toBe(knownMigrations(provider()).sort().at(-1));
    expect(manifest.counts.tickets).toBeGreaterThanOrEqual(before.length);
    expect(readManifest(dir)).toEqual(manifest);

    const target = await restoredDatabase();
    try {
      await restore(target.url, dir);
      const db = createPrisma(target.url);
      try {
        for (const { id, hash } of before) {
          const ticket = await db.ticket.findUniqueOrThrow({
            where: { id },
            include: { replies: true, attachments: true },
          });
          expect(ticket.subject).toMatch(/^Burst \d+$/);
          expect(ticket.replies.some((r) => r.body.startsWith("Answer "))).toBe(true);
          expect(ticket.attachments.map((a) => a.contentHash)).toContain(hash);
          const content = await db.fileContent.findUniqueOrThrow({ where: { hash } });
          expect(createHash("sha256").update(content.bytes).digest("hex")).toBe(hash);
        }
        // What was in the copy is whole: as many tickets as its manifest says.
        expect(await db.ticket.count()).toBe(manifest.counts.tickets);
      } finally {
        await db.$disconnect();
      }
    } finally {
      await target.drop();
    }
  }, 120_000);
});

describe("a restore", () => {
  it("refuses a backup of a newer schema, of the other database kind, or a directory that holds none", async () => {
    const dir = join(dirs(), "backup");
    const manifest = await backup(t.config.databaseUrl, dir);
    const target = await restoredDatabase();
    try {
      const older = knownMigrations(provider()).filter((m) => m !== manifest.migration);
      await expect(restore(target.url, dir, { migrations: older })).rejects.toThrow(
        /newer than this version of Hyperdesk \(its migration \d+_\w+ is unknown here\)/,
      );
      const other = provider() === "sqlite" ? "postgresql://postgres@127.0.0.1:5432/nowhere" : "file:/tmp/nowhere.db";
      await expect(restore(other, dir)).rejects.toThrow(BackupError);
      const empty = dirs();
      await expect(restore(target.url, empty)).rejects.toThrow(`holds no backup (no ${MANIFEST})`);
      // A backup never goes over another: the directory must be new or empty.
      await expect(backup(t.config.databaseUrl, dir)).rejects.toThrow("is not empty");
    } finally {
      await target.drop();
    }
  });

  it("on SQLite keeps the database it replaces beside it", async () => {
    if (provider() !== "sqlite") return;
    const dir = join(dirs(), "backup");
    await backup(t.config.databaseUrl, dir);
    const place = dirs();
    const file = join(place, "desk.db");
    writeFileSync(file, "the old database");
    const { keptAside } = await restore(`file:${file}`, dir, { now: new Date("2026-12-07T10:00:00Z") });
    expect(keptAside).toBe(`${file}.before-restore-20261207100000`);
    expect(readFileSync(keptAside!, "utf8")).toBe("the old database");
    expect(existsSync(file)).toBe(true);
  });

  it("npm run db:backup and db:restore say what they did, and db:restore asks for --yes", () => {
    if (provider() !== "sqlite") return;
    const dir = join(dirs(), "cli-backup");
    const env = { ...process.env, DATABASE_URL: t.config.databaseUrl, NODE_ENV: "test" };
    const out = execFileSync("npx", ["tsx", "src/cli/backup.ts", dir], { env, encoding: "utf8" });
    expect(out).toMatch(/^Backed up to .*cli-backup: \d+ tickets, \d+ replies, \d+ files/);
    const place = dirs();
    mkdirSync(place, { recursive: true });
    const target = { ...env, DATABASE_URL: `file:${join(place, "restored.db")}` };
    let asked = "";
    try {
      execFileSync("npx", ["tsx", "src/cli/restore.ts", dir], { env: target, encoding: "utf8", stdio: "pipe" });
    } catch (error) {
      asked = String((error as { stderr?: string }).stderr);
    }
    expect(asked).toContain("stop the desk, then run again with --yes");
    const done = execFileSync("npx", ["tsx", "src/cli/restore.ts", dir, "--yes"], { env: target, encoding: "utf8" });
    expect(done).toMatch(/^Restored .*: \d+ tickets/);
  }, 120_000);
});

/** Where a restore goes: a new SQLite file, or a new PostgreSQL database (dropped after). */
async function restoredDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  if (provider() === "sqlite") return { url: `file:${join(dirs(), "restored.db")}`, drop: async () => {} };
  const name = `hyperdesk_restore_${randomBytes(4).toString("hex")}`;
  await adminSql(`CREATE DATABASE "${name}"`);
  return {
    url: withDatabase(t.config.databaseUrl, name),
    drop: () => adminSql(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
  };
}
