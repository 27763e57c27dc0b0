-- CreateTable
CREATE TABLE "RetentionRun" (
    "id" SERIAL NOT NULL,
    "ranAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "removes" TEXT NOT NULL,
    "cutoff" TIMESTAMP(3) NOT NULL,
    "tickets" INTEGER NOT NULL,
    "files" INTEGER NOT NULL,
    "bytes" INTEGER NOT NULL,

    CONSTRAINT "RetentionRun_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "RetentionRun_ranAt_idx" ON "RetentionRun"("ranAt");

