-- CreateIndex
CREATE INDEX "Ticket_status_priority_id_idx" ON "Ticket"("status", "priority", "id");


-- The planner's statistics for status and priority together (Prisma's schema cannot say this):
-- without them it takes the two as independent, expects a quarter of a quarter of the desk to be
-- Open and Urgent, and walks the primary key backwards for a page of them where there may be none.
CREATE STATISTICS "Ticket_status_priority_stats" (mcv) ON "status", "priority" FROM "Ticket";
