-- AlterTable (by hand: Prisma would copy the whole Ticket table; SQLite adds a NOT NULL column
-- with a constant default in place, and the result is the same table)
ALTER TABLE "Ticket" ADD COLUMN "version" INTEGER NOT NULL DEFAULT 1;
