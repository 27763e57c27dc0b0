-- CreateIndex
CREATE INDEX "Ticket_status_priority_id_idx" ON "Ticket"("status", "priority", "id");

