-- AlterTable
ALTER TABLE "Ticket" ADD COLUMN     "accessCode" TEXT,
ADD COLUMN     "guest" BOOLEAN NOT NULL DEFAULT false;

