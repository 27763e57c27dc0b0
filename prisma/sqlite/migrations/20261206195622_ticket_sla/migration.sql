-- Written by hand: Prisma's diff redefines the table (CREATE new_Ticket, copy, DROP), which would
-- drop the full-text search triggers on "Ticket". Nullable columns and a constant default are ALTERs.
ALTER TABLE "Ticket" ADD COLUMN "firstResponseDueAt" DATETIME;
ALTER TABLE "Ticket" ADD COLUMN "resolutionDueAt" DATETIME;
ALTER TABLE "Ticket" ADD COLUMN "firstResponseAt" DATETIME;
ALTER TABLE "Ticket" ADD COLUMN "slaPausedAt" DATETIME;
ALTER TABLE "Ticket" ADD COLUMN "slaPausedMinutes" REAL NOT NULL DEFAULT 0;
ALTER TABLE "Ticket" ADD COLUMN "nextDueAt" DATETIME;
ALTER TABLE "Ticket" ADD COLUMN "nextRiskAt" DATETIME;

-- CreateIndex
CREATE INDEX "Ticket_nextDueAt_id_idx" ON "Ticket"("nextDueAt", "id");
CREATE INDEX "Ticket_nextRiskAt_id_idx" ON "Ticket"("nextRiskAt", "id");
