-- A column added in place (SQLite's ADD COLUMN), not the table rebuilt.
ALTER TABLE "User" ADD COLUMN "startView" TEXT;
