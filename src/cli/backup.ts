// npm run db:backup -- [DIR]: a consistent copy of the desk's database (every ticket, reply, file and
// setting) while it runs, in DIR (default: backups/hyperdesk-<UTC time>), with a manifest.json
// saying what it holds. SQLite: VACUUM INTO; PostgreSQL: pg_dump (postgresql-client) in its custom format.
import { join } from "node:path";
import { loadConfigOrExit } from "../config.js";
import { BackupError, backup } from "../db/backup.js";

const config = loadConfigOrExit(2);
const now = new Date();
const dir = process.argv[2] ?? join("backups", `hyperdesk-${now.toISOString().replace(/\D/g, "").slice(0, 14)}`);
try {
  const manifest = await backup(config.databaseUrl, dir, now);
  const { tickets, replies, files } = manifest.counts;
  console.log(
    `Backed up to ${dir}: ${tickets} tickets, ${replies} replies, ${files} files (schema ${manifest.migration}).\nRestore it on a stopped desk with: npm run db:restore -- ${dir} --yes`,
  );
} catch (error) {
  if (!(error instanceof BackupError)) throw error;
  console.error(error.message);
  process.exit(1);
}
