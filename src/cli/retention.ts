// npm run retention -- [--dry-run]: removes closed tickets (or their files, RETENTION_REMOVES) that
// closed more than RETENTION_MONTHS ago, as the sweep of every running desk also does; with
// --dry-run it only says what it would remove.
import { formatSize } from "../attachments/names.js";
import { loadConfigOrExit } from "../config.js";
import { prisma } from "../db/prisma.js";
import { makeDeps } from "../deps.js";
import { applyRetention } from "../tickets/retention.js";

const config = loadConfigOrExit(2);
const dryRun = process.argv.includes("--dry-run");
const db = prisma(config.databaseUrl);
try {
  const report = await applyRetention(makeDeps(config, db, { log: () => undefined }), { dryRun });
  if (!report) {
    console.log("No retention is set (RETENTION_MONTHS): every ticket is kept.");
  } else {
    const what =
      report.removes === "files" ? `the files of ${report.tickets} closed tickets` : `${report.tickets} closed tickets`;
    const verb = dryRun ? "Would remove" : "Removed";
    console.log(
      `${verb} ${what} (closed before ${report.cutoff.toISOString().slice(0, 10)}), with ${report.files} files (${formatSize(report.bytes)}).`,
    );
  }
} finally {
  await db.$disconnect();
}
