import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";

export type Provider = "sqlite" | "postgresql";

/** Where the zero-config SQLite database lives when DATABASE_URL is not set. */
export const DEFAULT_DATABASE_URL = "file:./data/hyperdesk.db";

export function providerOf(url: string): Provider | undefined {
  if (url.startsWith("file:")) return "sqlite";
  if (/^postgres(ql)?:\/\//.test(url)) return "postgresql";
  return undefined;
}

/** The SQLite file a `file:` URL names, with its folder created so the driver can open it. */
export function sqlitePath(url: string): string {
  const path = resolve(url.replace(/^file:/, "").replace(/\?.*$/, ""));
  mkdirSync(dirname(path), { recursive: true });
  return path;
}
