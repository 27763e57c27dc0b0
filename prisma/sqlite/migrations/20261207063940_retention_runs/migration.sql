-- CreateTable
CREATE TABLE "RetentionRun" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "ranAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "removes" TEXT NOT NULL,
    "cutoff" DATETIME NOT NULL,
    "tickets" INTEGER NOT NULL,
    "files" INTEGER NOT NULL,
    "bytes" INTEGER NOT NULL
);

-- CreateIndex
CREATE INDEX "RetentionRun_ranAt_idx" ON "RetentionRun"("ranAt");

