-- Written by hand: Prisma's diff redefines the table (CREATE new_Ticket, copy, DROP), which would
-- drop the full-text search triggers on "Ticket". A column with a constant default is one ALTER.
ALTER TABLE "Ticket" ADD COLUMN "lastSpoke" TEXT NOT NULL DEFAULT 'requester';

-- Who spoke last on the tickets already there: the author of the latest public reply.
UPDATE "Ticket" SET "lastSpoke" = 'staff'
WHERE (SELECT r."authorId" FROM "Reply" r WHERE r."ticketId" = "Ticket"."id" AND r."internal" = 0 ORDER BY r."id" DESC LIMIT 1) <> "Ticket"."requesterId";

-- CreateIndex
CREATE INDEX "Ticket_lastSpoke_status_id_idx" ON "Ticket"("lastSpoke", "status", "id");
