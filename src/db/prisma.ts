import { PrismaClient as PostgresClient } from "../generated/postgresql/client.js";
import { PrismaClient as SqliteClient } from "../generated/sqlite/client.js";
import { adapterFactory } from "./adapters.js";
import { readCompilerFromFile } from "./compiler-wasm.js";
import { providerOf } from "./database-url.js";
import { attachDriver } from "./reads.js";

export type * from "../generated/sqlite/models.js";

/** Both generated clients have the same API; the SQLite one names the type. */
export type Db = SqliteClient;
export type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];

export function createPrisma(databaseUrl: string): Db {
  const client: { db?: Db } = {};
  // The hot reads (readRows) go to the driver the adapter connected with.
  const adapter = adapterFactory(databaseUrl, (driver) => client.db && attachDriver(client.db, driver));
  const provider = providerOf(databaseUrl) === "postgresql" ? "postgresql" : "sqlite";
  client.db =
    provider === "postgresql" ? (new PostgresClient({ adapter }) as unknown as Db) : new SqliteClient({ adapter });
  readCompilerFromFile(client.db, provider);
  return client.db;
}

let instance: Db | undefined;

/** The one Prisma client of this process. */
export function prisma(databaseUrl: string): Db {
  instance ??= createPrisma(databaseUrl);
  return instance;
}
