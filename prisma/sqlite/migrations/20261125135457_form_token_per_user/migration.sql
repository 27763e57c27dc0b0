-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_FormToken" (
    "token" TEXT NOT NULL,
    "userId" INTEGER NOT NULL,
    "ticketId" INTEGER,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,

    PRIMARY KEY ("userId", "token"),
    CONSTRAINT "FormToken_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_FormToken" ("createdAt", "ticketId", "token", "userId") SELECT "createdAt", "ticketId", "token", "userId" FROM "FormToken";
DROP TABLE "FormToken";
ALTER TABLE "new_FormToken" RENAME TO "FormToken";
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

