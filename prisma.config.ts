import { defineConfig } from "prisma/config";
import { adapterFactory } from "./src/db/adapters.js";
import { DEFAULT_DATABASE_URL, type Provider, providerOf } from "./src/db/database-url.js";
import { loadEnvFile } from "./src/dotenv.js";

// With a config file the Prisma CLI does not read .env itself: the same file as every entry point.
loadEnvFile();
let url = process.env.DATABASE_URL || DEFAULT_DATABASE_URL;

// PRISMA_PROVIDER=sqlite|postgresql works on that provider's schema whatever DATABASE_URL says:
// postinstall generates both clients, and `npm run db:migration` diffs both schemas. The CLI
// stays on its JavaScript engines only when schema and adapter agree, so the adapter follows;
// nothing connects for `generate` or `migrate diff`.
const override = process.env.PRISMA_PROVIDER as Provider | undefined;
const provider: Provider =
  override === "postgresql" || override === "sqlite" ? override : (providerOf(url) ?? "sqlite");
if (providerOf(url) !== provider)
  url = provider === "sqlite" ? DEFAULT_DATABASE_URL : "postgresql://postgres@127.0.0.1:5432/postgres";
// The schema's datasource reads env("DATABASE_URL"): it must name the same provider.
process.env.DATABASE_URL = url;

// Prisma 6.19's JavaScript engines: nothing is downloaded at install or run time.
export default defineConfig({
  experimental: { adapter: true, studio: true },
  engine: "js",
  schema: `prisma/${provider}/schema.prisma`,
  migrations: { path: `prisma/${provider}/migrations` },
  adapter: async () => adapterFactory(url),
  studio: { adapter: async () => adapterFactory(url) },
});
