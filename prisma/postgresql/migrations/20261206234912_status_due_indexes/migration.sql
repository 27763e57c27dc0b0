-- CreateIndex
CREATE INDEX "Ticket_status_nextDueAt_idx" ON "Ticket"("status", "nextDueAt");

-- CreateIndex
CREATE INDEX "Ticket_status_nextRiskAt_nextDueAt_idx" ON "Ticket"("status", "nextRiskAt", "nextDueAt");

