-- AlterTable
ALTER TABLE "Ticket" ADD COLUMN     "lastSpoke" TEXT NOT NULL DEFAULT 'requester';

-- Who spoke last on the tickets already there: the author of the latest public reply.
UPDATE "Ticket" SET "lastSpoke" = 'staff'
WHERE (SELECT r."authorId" FROM "Reply" r WHERE r."ticketId" = "Ticket"."id" AND r."internal" = false ORDER BY r."id" DESC LIMIT 1) <> "Ticket"."requesterId";

-- CreateIndex
CREATE INDEX "Ticket_lastSpoke_status_id_idx" ON "Ticket"("lastSpoke", "status", "id");
