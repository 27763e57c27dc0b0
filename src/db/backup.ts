import { execFile } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import Database from "better-sqlite3";
import pg from "pg";
import { providerOf, sqlitePath } from "./database-url.js";

// Backups an operator can restore: a consistent copy of the whole desk while it runs (the files'
// bytes live in the database, so the copy holds them too) and a manifest saying what it is.
//  - SQLite: VACUUM INTO, SQLite's own consistent copy of a live database (a read transaction: the
//    desk keeps writing meanwhile; what was committed before it began is in the copy);
//  - PostgreSQL: pg_dump's custom format (one snapshot), put back with pg_restore.
// A restore refuses a backup whose schema is newer than this code's (a migration it does not know).

const run = promisify(execFile);

export const MANIFEST = "manifest.json";
const SQLITE_FILE = "hyperdesk.db";
const PG_FILE = "hyperdesk.pgdump";

export type Manifest = {
  format: 1;
  /** The app's version (package.json) that wrote it. */
  app: string;
  provider: "sqlite" | "postgresql";
  /** The last migration applied to the copied database: the schema it has. */
  migration: string | null;
  createdAt: string;
  counts: { tickets: number; replies: number; files: number };
};

const COUNTS_SQL = `SELECT (SELECT COUNT(*) FROM "Ticket") AS tickets, (SELECT COUNT(*) FROM "Reply") AS replies,
  (SELECT COUNT(*) FROM "Attachment") AS files`;
const MIGRATION_SQL = `SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL
  ORDER BY migration_name DESC LIMIT 1`;

export const appVersion = () => {
  try {
    return JSON.parse(readFileSync("package.json", "utf8")).version as string;
  } catch {
    return "unknown";
  }
};

/** The migrations this code knows for a provider, by name (prisma/<provider>/migrations). */
export function knownMigrations(provider: "sqlite" | "postgresql", root = "prisma"): string[] {
  const dir = join(root, provider, "migrations");
  return existsSync(dir) ? readdirSync(dir).filter((name) => /^\d{14}_/.test(name)) : [];
}

/** A new backup of the database at `databaseUrl` in the directory `dir` (made if absent, must be empty). */
export async function backup(databaseUrl: string, dir: string, now = new Date()): Promise<Manifest> {
  const provider = providerOf(databaseUrl) ?? "sqlite";
  mkdirSync(dir, { recursive: true });
  if (readdirSync(dir).length) throw new BackupError(`${dir} is not empty: choose a new directory for the backup.`);
  let manifest: Manifest;
  if (provider === "sqlite") {
    const source = sqlitePath(databaseUrl);
    if (!existsSync(source)) throw new BackupError(`There is no database at ${source}.`);
    const live = new Database(source, { fileMustExist: true });
    try {
      live.pragma("busy_timeout = 10000");
      live.prepare("VACUUM INTO ?").run(join(dir, SQLITE_FILE));
    } finally {
      live.close();
    }
    const copy = new Database(join(dir, SQLITE_FILE), { readonly: true });
    try {
      const counts = copy.prepare(COUNTS_SQL).get() as Manifest["counts"];
      const migration = (copy.prepare(MIGRATION_SQL).pluck().get() as string | undefined) ?? null;
      manifest = { format: 1, app: appVersion(), provider, migration, createdAt: now.toISOString(), counts };
    } finally {
      copy.close();
    }
  } else {
    // One snapshot for the manifest and the dump: exported by a transaction held open while pg_dump reads it.
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    let migration: string | null;
    let counts: Manifest["counts"];
    try {
      await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
      const snapshot = (await client.query("SELECT pg_export_snapshot() AS id")).rows[0].id as string;
      migration = (await client.query(MIGRATION_SQL)).rows[0]?.migration_name ?? null;
      const row = (await client.query(COUNTS_SQL)).rows[0];
      counts = { tickets: Number(row.tickets), replies: Number(row.replies), files: Number(row.files) };
      await tool("pg_dump", [
        "--format=custom",
        "--no-owner",
        `--snapshot=${snapshot}`,
        `--file=${join(dir, PG_FILE)}`,
        `--dbname=${databaseUrl}`,
      ]);
      await client.query("COMMIT");
    } finally {
      await client.end();
    }
    manifest = { format: 1, app: appVersion(), provider, migration, createdAt: now.toISOString(), counts };
  }
  writeFileSync(join(dir, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

/** What a backup is, read from its manifest; a clear error for a directory that holds none. */
export function readManifest(dir: string): Manifest {
  const path = join(dir, MANIFEST);
  if (!existsSync(path)) throw new BackupError(`${dir} holds no backup (no ${MANIFEST}).`);
  const manifest = JSON.parse(readFileSync(path, "utf8")) as Manifest;
  if (manifest.format !== 1) throw new BackupError(`${dir} is a backup of a format this version does not read.`);
  return manifest;
}

/**
 * Puts a backup back as the database at `databaseUrl` (the desk stopped). Refuses a backup of the
 * other database kind, and one whose schema is newer than the code's. SQLite: the database there
 * is kept beside it (`.before-restore-<time>`); PostgreSQL: pg_restore --clean into the database.
 * `npm start` then applies the migrations the backup predates.
 */
export async function restore(
  databaseUrl: string,
  dir: string,
  { migrations = knownMigrations(providerOf(databaseUrl) ?? "sqlite"), now = new Date() } = {},
): Promise<{ manifest: Manifest; keptAside?: string }> {
  const provider = providerOf(databaseUrl) ?? "sqlite";
  const manifest = readManifest(dir);
  if (manifest.provider !== provider)
    throw new BackupError(`This backup is of a ${manifest.provider} database; DATABASE_URL is ${provider}.`);
  if (manifest.migration && !migrations.includes(manifest.migration))
    throw new BackupError(
      `This backup's database is newer than this version of Hyperdesk (its migration ${manifest.migration} is unknown here): install the version that made it (${manifest.app}) or a later one.`,
    );
  if (provider === "sqlite") {
    const target = sqlitePath(databaseUrl);
    let keptAside: string | undefined;
    if (existsSync(target)) {
      keptAside = `${target}.before-restore-${now.toISOString().replace(/\D/g, "").slice(0, 14)}`;
      renameSync(target, keptAside);
    }
    for (const extra of ["-wal", "-shm"]) rmSync(`${target}${extra}`, { force: true });
    const copy = new Database(join(dir, SQLITE_FILE), { readonly: true });
    try {
      // A copy of the backup (never the backup itself): the backup stays as it was.
      copy.prepare("VACUUM INTO ?").run(target);
    } finally {
      copy.close();
    }
    return { manifest, keptAside };
  }
  await tool("pg_restore", ["--clean", "--if-exists", "--no-owner", `--dbname=${databaseUrl}`, join(dir, PG_FILE)]);
  return { manifest };
}

export class BackupError extends Error {}

/** Runs pg_dump or pg_restore; a clear error when it is not installed. */
async function tool(name: string, args: string[]) {
  try {
    await run(name, args, { maxBuffer: 16 * 1024 * 1024 });
  } catch (error) {
    const e = error as NodeJS.ErrnoException & { stderr?: string };
    if (e.code === "ENOENT")
      throw new BackupError(
        `${name} is not installed: apt-get install postgresql-client (the same major version as the server).`,
      );
    throw new BackupError(`${name} failed: ${(e.stderr ?? e.message).trim()}`);
  }
}
