-- CreateTable
CREATE TABLE "SurveyAnswer" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "ticketId" INTEGER NOT NULL,
    "closedAt" DATETIME NOT NULL,
    "rating" TEXT NOT NULL,
    "comment" TEXT,
    "answeredAt" DATETIME NOT NULL,
    "changedAt" DATETIME NOT NULL,
    CONSTRAINT "SurveyAnswer_ticketId_fkey" FOREIGN KEY ("ticketId") REFERENCES "Ticket" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "SurveyAnswer_changedAt_idx" ON "SurveyAnswer"("changedAt");

-- CreateIndex
CREATE UNIQUE INDEX "SurveyAnswer_ticketId_closedAt_key" ON "SurveyAnswer"("ticketId", "closedAt");

