// npm run db:restore -- DIR --yes: puts a backup (npm run db:backup) back as the desk's database.
// Stop the desk first (every app instance and the worker). SQLite: the database there is kept beside
// it as <file>.before-restore-<time>; PostgreSQL: pg_restore --clean replaces what is there. A backup
// from a newer version (a migration this one does not know) is refused. `npm start` then brings an
// older backup's schema up to date.
import { parseArgs } from "node:util";
import { loadConfigOrExit } from "../config.js";
import { BackupError, readManifest, restore } from "../db/backup.js";

const { values, positionals } = parseArgs({ options: { yes: { type: "boolean" } }, allowPositionals: true });
const dir = positionals[0];
if (!dir) {
  console.error("usage: npm run db:restore -- DIR --yes   (DIR: a backup made by npm run db:backup)");
  process.exit(2);
}
const config = loadConfigOrExit(2);
try {
  const manifest = readManifest(dir);
  if (!values.yes) {
    console.error(
      `${dir} is a backup of ${manifest.createdAt} (${manifest.counts.tickets} tickets). Restoring replaces the database at DATABASE_URL: stop the desk, then run again with --yes.`,
    );
    process.exit(2);
  }
  const { keptAside } = await restore(config.databaseUrl, dir);
  console.log(
    `Restored ${dir}: ${manifest.counts.tickets} tickets, ${manifest.counts.replies} replies, ${manifest.counts.files} files.${keptAside ? ` The database that was there is kept as ${keptAside}.` : ""} Start the desk: npm start`,
  );
} catch (error) {
  if (!(error instanceof BackupError)) throw error;
  console.error(error.message);
  process.exit(1);
}
