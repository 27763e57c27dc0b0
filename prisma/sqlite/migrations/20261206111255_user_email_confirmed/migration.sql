-- AlterTable
ALTER TABLE "User" ADD COLUMN "emailConfirmedAt" DATETIME;


-- Accounts from before this release that were signed in, and every staff account, keep getting
-- mail as they did: they count as confirmed from the day they were made.
UPDATE "User" SET "emailConfirmedAt" = "createdAt"
WHERE "role" <> 'requester' OR EXISTS (SELECT 1 FROM "Session" s WHERE s."userId" = "User"."id");
