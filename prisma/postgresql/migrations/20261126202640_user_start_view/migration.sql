-- AlterTable
ALTER TABLE "User" ADD COLUMN     "startView" TEXT;

