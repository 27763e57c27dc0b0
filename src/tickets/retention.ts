import { dropUnusedContent } from "../attachments/store.js";
import type { Deps } from "../env.js";
import { statusesOf } from "./statuses.js";

// Retention (RETENTION_MONTHS, RETENTION_REMOVES): closed tickets, or only their files, are removed
// that many months after they closed. In batches (one short transaction each, so the desk never
// waits on a long delete), recorded as a RetentionRun, run by the sweep; `npm run retention --
// --dry-run` says what it would remove without removing anything. The search index follows (its
// triggers remove a deleted ticket's row); a reopened ticket is never removed (it is not closed).

export const RETENTION_BATCH = 100;

export type RetentionReport = {
  removes: "tickets" | "files";
  cutoff: Date;
  tickets: number;
  files: number;
  bytes: number;
};

/** N months before `now`, by the calendar (the 31st falls back to the month's last day). */
export function monthsBefore(now: Date, months: number): Date {
  const d = new Date(now);
  const day = d.getUTCDate();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() - months);
  const last = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
  d.setUTCDate(Math.min(day, last));
  return d;
}

async function dueWhere(deps: Deps, cutoff: Date) {
  const closed = (await statusesOf(deps)).ofKind("closed");
  // A ticket merged into another stays while that one does: its number is what tells whose words
  // moved there (tickets/merge.ts); once the survivor goes, it is a closed ticket like any other.
  return { status: { in: closed }, closedAt: { lt: cutoff }, mergedIntoId: null };
}

/**
 * What retention removes now (or, with `dryRun`, would remove): counted on the same rows the real
 * run takes, batch by batch. Null when no retention is set.
 */
export async function applyRetention(deps: Deps, { dryRun = false } = {}): Promise<RetentionReport | null> {
  const rule = deps.config.retention;
  if (!rule) return null;
  const now = deps.clock.now();
  const cutoff = monthsBefore(now, rule.months);
  const where = await dueWhere(deps, cutoff);
  const report: RetentionReport = { removes: rule.removes, cutoff, tickets: 0, files: 0, bytes: 0 };
  const filesOnly = rule.removes === "files";
  // Files mode takes only tickets that still have files, so each batch moves on.
  const scope = filesOnly ? { ...where, attachments: { some: {} } } : where;
  let after = 0;
  for (;;) {
    const batch = await deps.db.ticket.findMany({
      where: { ...scope, id: { gt: after } },
      orderBy: { id: "asc" },
      take: RETENTION_BATCH,
      select: { id: true, attachments: { select: { id: true, size: true, contentHash: true } } },
    });
    if (!batch.length) break;
    after = batch.at(-1)!.id;
    const files = batch.flatMap((t) => t.attachments);
    report.files += files.length;
    report.bytes += files.reduce((sum, f) => sum + f.size, 0);
    if (!filesOnly) report.tickets += batch.length;
    else report.tickets += batch.filter((t) => t.attachments.length).length;
    if (dryRun) continue;
    await deps.db.$transaction(async (tx) => {
      if (filesOnly) await tx.attachment.deleteMany({ where: { id: { in: files.map((f) => f.id) } } });
      // Still closed and old: a ticket reopened since the batch was read stays.
      else await tx.ticket.deleteMany({ where: { ...where, id: { in: batch.map((t) => t.id) } } });
      await dropUnusedContent(
        tx,
        files.map((f) => f.contentHash),
      );
    });
  }
  if (!dryRun && (report.tickets || report.files))
    await deps.db.retentionRun.create({ data: { ranAt: now, ...report } });
  return report;
}
