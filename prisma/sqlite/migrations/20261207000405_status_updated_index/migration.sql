-- CreateIndex
CREATE INDEX "Ticket_status_updatedAt_id_idx" ON "Ticket"("status", "updatedAt", "id");

