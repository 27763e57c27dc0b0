-- AlterTable
ALTER TABLE "User" ADD COLUMN "mergedIntoId" INTEGER;

-- AlterTable
ALTER TABLE "Ticket" ADD COLUMN "claimedEmail" TEXT;

