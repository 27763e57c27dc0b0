-- AlterTable
ALTER TABLE "Ticket" ADD COLUMN     "firstResponseAt" TIMESTAMP(3),
ADD COLUMN     "firstResponseDueAt" TIMESTAMP(3),
ADD COLUMN     "nextDueAt" TIMESTAMP(3),
ADD COLUMN     "nextRiskAt" TIMESTAMP(3),
ADD COLUMN     "resolutionDueAt" TIMESTAMP(3),
ADD COLUMN     "slaPausedAt" TIMESTAMP(3),
ADD COLUMN     "slaPausedMinutes" DOUBLE PRECISION NOT NULL DEFAULT 0;

-- CreateIndex
CREATE INDEX "Ticket_nextDueAt_id_idx" ON "Ticket"("nextDueAt", "id");

-- CreateIndex
CREATE INDEX "Ticket_nextRiskAt_id_idx" ON "Ticket"("nextRiskAt", "id");

