import { PrismaClient as SqliteClient } from "../generated/sqlite/client.js";
import { PrismaClient as PostgresClient } from "../generated/postgresql/client.js";
import { adapterFactory } from "./adapters.js";
import { providerOf } from "./database-url.js";

export type * from "../generated/sqlite/models.js";

/** Both generated clients have the same API; the SQLite one names the type. */
export type Db = SqliteClient;
export type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];

export function createPrisma(databaseUrl: string): Db {
  const adapter = adapterFactory(databaseUrl);
  return providerOf(databaseUrl) === "postgresql"
    ? (new PostgresClient({ adapter }) as unknown as Db)
    : new SqliteClient({ adapter });
}

let instance: Db | undefined;

/** The one Prisma client of this process. */
export function prisma(databaseUrl: string): Db {
  instance ??= createPrisma(databaseUrl);
  return instance;
}
