// npm run studio: Prisma Studio on the configured database (DATABASE_URL, .env, or the default SQLite file).
// Studio comes from Prisma 7 in prisma/studio/ (installed from the npm registry on first use, from
// its lockfile): 6.19's Studio needs a query-engine binary that cannot be downloaded here.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { DEFAULT_DATABASE_URL, providerOf, sqlitePath } from "../src/db/database-url.js";
import { envFileLine, loadEnvFile } from "../src/dotenv.js";

const dir = "prisma/studio";
const cli = `${dir}/node_modules/prisma/build/index.js`;
if (!existsSync(cli)) {
  console.log("Installing Prisma Studio into prisma/studio (first run only)...");
  const install = spawnSync("npm", ["ci", "--prefix", dir, "--ignore-scripts", "--no-audit", "--no-fund"], {
    stdio: "inherit",
  });
  if (install.status !== 0) process.exit(install.status ?? 1);
}
console.error(envFileLine(loadEnvFile()));
const url = process.env.DATABASE_URL || DEFAULT_DATABASE_URL;
// Studio reads the protocol before "://", so SQLite needs file:///absolute/path.
const studioUrl = providerOf(url) === "sqlite" ? `file://${sqlitePath(url)}` : url;
const result = spawnSync(
  process.execPath,
  [cli, "studio", "--config", `${dir}/studio.config.ts`, "--url", studioUrl, ...process.argv.slice(2)],
  {
    stdio: "inherit",
    env: { ...process.env, CHECKPOINT_DISABLE: "1" },
  },
);
process.exit(result.status ?? 1);
