-- AlterTable
ALTER TABLE "User" ADD COLUMN "erasedAt" DATETIME;

