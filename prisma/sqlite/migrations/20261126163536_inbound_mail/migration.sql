-- AlterTable
ALTER TABLE "Reply" ADD COLUMN "emailText" TEXT;

-- CreateTable
CREATE TABLE "InboundMessage" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "messageId" TEXT NOT NULL,
    "fromAddress" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "outcome" TEXT NOT NULL,
    "reason" TEXT,
    "ticketId" INTEGER,
    "receivedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateIndex
CREATE UNIQUE INDEX "InboundMessage_messageId_key" ON "InboundMessage"("messageId");

-- CreateIndex
CREATE INDEX "InboundMessage_receivedAt_id_idx" ON "InboundMessage"("receivedAt", "id");

-- CreateIndex
CREATE INDEX "InboundMessage_outcome_id_idx" ON "InboundMessage"("outcome", "id");

