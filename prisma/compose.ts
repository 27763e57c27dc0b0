import { readFileSync } from "node:fs";
import type { Provider } from "../src/db/database-url.js";

export const PROVIDERS: Provider[] = ["sqlite", "postgresql"];
export const schemaPath = (provider: Provider) => `prisma/${provider}/schema.prisma`;
export const migrationsPath = (provider: Provider) => `prisma/${provider}/migrations`;

/**
 * The shared models for one provider: a line `//@postgresql <line>` (or `//@sqlite`) is that
 * provider's alone, such as an index type only PostgreSQL has.
 */
export const modelsFor = (provider: Provider, models: string) =>
  models.replace(/^(\s*)\/\/@(\w+) (.*)\n/gm, (_, indent: string, only: string, line: string) =>
    only === provider ? `${indent}${line}\n` : "",
  );

/** One provider's schema: its generator and datasource, then the shared models. */
export function composeSchema(provider: Provider, models = readFileSync("prisma/models.prisma", "utf8")): string {
  return `// Generated from prisma/models.prisma by \`npm run db:migration\`. Edit that file, not this one.

generator client {
  provider            = "prisma-client"
  engineType          = "client"
  output              = "../../src/generated/${provider}"
  runtime             = "nodejs"
  moduleFormat        = "esm"
  importFileExtension = "js"
}

// The CLI warns that url is unused with a driver adapter; without it \`prisma generate\`
// tries to download an engine.
datasource db {
  provider = "${provider}"
  url      = env("DATABASE_URL")
}

${modelsFor(provider, models)}`;
}
