-- DropIndex
DROP INDEX "Ticket_requesterId_status_createdAt_idx";

-- DropIndex
DROP INDEX "Ticket_status_createdAt_idx";

-- DropIndex
DROP INDEX "Ticket_assigneeId_status_idx";

-- DropIndex
DROP INDEX "Ticket_updatedAt_idx";

-- CreateIndex
CREATE INDEX "Ticket_requesterId_id_idx" ON "Ticket"("requesterId", "id");

-- CreateIndex
CREATE INDEX "Ticket_requesterId_status_id_idx" ON "Ticket"("requesterId", "status", "id");

-- CreateIndex
CREATE INDEX "Ticket_status_id_idx" ON "Ticket"("status", "id");

-- CreateIndex
CREATE INDEX "Ticket_assigneeId_status_id_idx" ON "Ticket"("assigneeId", "status", "id");

-- CreateIndex
CREATE INDEX "Ticket_updatedAt_id_idx" ON "Ticket"("updatedAt", "id");

