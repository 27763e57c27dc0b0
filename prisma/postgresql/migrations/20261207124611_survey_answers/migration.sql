-- CreateTable
CREATE TABLE "SurveyAnswer" (
    "id" SERIAL NOT NULL,
    "ticketId" INTEGER NOT NULL,
    "closedAt" TIMESTAMP(3) NOT NULL,
    "rating" TEXT NOT NULL,
    "comment" TEXT,
    "answeredAt" TIMESTAMP(3) NOT NULL,
    "changedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "SurveyAnswer_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "SurveyAnswer_changedAt_idx" ON "SurveyAnswer"("changedAt");

-- CreateIndex
CREATE UNIQUE INDEX "SurveyAnswer_ticketId_closedAt_key" ON "SurveyAnswer"("ticketId", "closedAt");

-- AddForeignKey
ALTER TABLE "SurveyAnswer" ADD CONSTRAINT "SurveyAnswer_ticketId_fkey" FOREIGN KEY ("ticketId") REFERENCES "Ticket"("id") ON DELETE CASCADE ON UPDATE CASCADE;

