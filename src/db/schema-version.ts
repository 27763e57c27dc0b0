import { existsSync } from "node:fs";
import Database from "better-sqlite3";
import pg from "pg";
import { knownMigrations } from "./backup.js";
import { providerOf, sqlitePath } from "./database-url.js";

// A database a newer Hyperdesk has migrated (a migration this code does not know) is refused at
// start, before `prisma migrate deploy` and before anything reads it with the wrong shape: an
// older version would misread or overwrite what the newer one wrote.

const APPLIED = `SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`;

/** The migrations applied to the database (none for a new or empty one). */
export async function appliedMigrations(databaseUrl: string): Promise<string[]> {
  if (providerOf(databaseUrl) === "postgresql") {
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      const table = await client.query(`SELECT to_regclass('_prisma_migrations') AS t`);
      if (!table.rows[0]?.t) return [];
      return (await client.query(APPLIED)).rows.map((r) => r.migration_name as string);
    } finally {
      await client.end();
    }
  }
  const file = sqlitePath(databaseUrl);
  if (!existsSync(file)) return [];
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const table = db
      .prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name = '_prisma_migrations'`)
      .get();
    return table ? (db.prepare(APPLIED).pluck().all() as string[]) : [];
  } finally {
    db.close();
  }
}

/** Why this code must not run on that database (one line), or null when it may. */
export async function newerSchemaProblem(databaseUrl: string, known?: string[]): Promise<string | null> {
  const provider = providerOf(databaseUrl) ?? "sqlite";
  const list = known ?? knownMigrations(provider);
  // Without its migrations folder this code cannot tell (run from elsewhere): nothing to say.
  if (!list.length) return null;
  const mine = new Set(list);
  const unknown = (await appliedMigrations(databaseUrl)).filter((name) => !mine.has(name)).sort();
  if (!unknown.length) return null;
  return `This database was upgraded by a newer version of Hyperdesk (migration ${unknown.at(-1)} is unknown to this one): start that version or a later one, or restore a backup made before the upgrade.`;
}

/** At the start of a process: a database a newer version upgraded ends it, with the one line. */
export async function exitIfNewerSchema(databaseUrl: string): Promise<void> {
  const problem = await newerSchemaProblem(databaseUrl).catch(() => null);
  if (!problem) return;
  console.error(problem);
  process.exit(1);
}
