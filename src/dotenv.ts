import { existsSync } from "node:fs";
import { isAbsolute, join } from "node:path";
import { projectRoot } from "./root.js";

// Every entry point (server, worker, CLIs, seed, Prisma's CLI) reads the same settings file, once,
// before it reads its config: `.env` beside package.json, or the file ENV_FILE names. A variable
// already in the environment wins over the file (Node's process.loadEnvFile keeps it).

let read: string | null | undefined;

export class EnvFileError extends Error {}

/** Loads the settings file into process.env once; the path read, or null when there is none. */
export function loadEnvFile(env: NodeJS.ProcessEnv = process.env): string | null {
  if (read !== undefined) return read;
  const named = env.ENV_FILE;
  const path = named ? (isAbsolute(named) ? named : join(process.cwd(), named)) : join(projectRoot, ".env");
  if (!existsSync(path)) {
    // A file asked for by name and missing is a mistake worth stopping for; a missing .env is not.
    if (named) throw new EnvFileError(`ENV_FILE names ${path}, which does not exist.`);
    read = null;
    return read;
  }
  process.loadEnvFile(path);
  read = path;
  return read;
}

/** The one line an entry point says at start about where its settings came from. */
export const envFileLine = (path: string | null) =>
  path
    ? `Settings from ${path} (a variable set in the environment wins over it).`
    : "No .env file: settings from the environment and the defaults.";
