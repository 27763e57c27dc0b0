-- Written by hand: Prisma's diff redefines "Ticket" and "Reply" (CREATE new_..., copy, DROP), which
-- would drop the full-text search triggers on both. Nullable columns and a constant default are ALTERs.
CREATE TABLE "TicketLink" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "fromId" INTEGER NOT NULL,
    "toId" INTEGER NOT NULL,
    "createdById" INTEGER NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "TicketLink_fromId_fkey" FOREIGN KEY ("fromId") REFERENCES "Ticket" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "TicketLink_toId_fkey" FOREIGN KEY ("toId") REFERENCES "Ticket" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

ALTER TABLE "Ticket" ADD COLUMN "mergedIntoId" INTEGER REFERENCES "Ticket" ("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "Reply" ADD COLUMN "fromTicketId" INTEGER;
ALTER TABLE "Reply" ADD COLUMN "opening" BOOLEAN NOT NULL DEFAULT false;

CREATE INDEX "Ticket_mergedIntoId_idx" ON "Ticket"("mergedIntoId");
CREATE INDEX "Reply_fromTicketId_idx" ON "Reply"("fromTicketId");
CREATE INDEX "TicketLink_toId_idx" ON "TicketLink"("toId");

CREATE UNIQUE INDEX "TicketLink_fromId_toId_key" ON "TicketLink"("fromId", "toId");

