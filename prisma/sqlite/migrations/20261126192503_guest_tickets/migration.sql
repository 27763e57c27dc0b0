-- Two columns added in place (SQLite's ADD COLUMN), not the table rebuilt: instant at any size.
ALTER TABLE "Ticket" ADD COLUMN "guest" BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE "Ticket" ADD COLUMN "accessCode" TEXT;
