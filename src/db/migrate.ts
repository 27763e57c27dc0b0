import { execFileSync } from "node:child_process";

/**
 * Applies pending migrations to the database (`prisma migrate deploy`, as `npm start` does), so a
 * command run on a fresh database works instead of failing on a missing table.
 */
export function applyMigrations(databaseUrl: string): void {
  execFileSync("npx", ["prisma", "migrate", "deploy"], {
    env: { ...process.env, DATABASE_URL: databaseUrl, PRISMA_PROVIDER: "" },
    stdio: ["ignore", "ignore", "inherit"],
  });
}

/** Whether a Prisma error says a table is missing: the database was never migrated. */
export const isMissingTable = (error: unknown) =>
  (error as { code?: string }).code === "P2021" || /no such table|does not exist/i.test(String(error));
