import type { Deps } from "../env.js";
import { Prisma } from "../generated/sqlite/client.js";
import { type Provider, providerOf } from "./database-url.js";
import { likeLiteral } from "./like.js";

/** The database this app runs on (SQLite unless DATABASE_URL names PostgreSQL). */
export const providerOfDeps = (deps: Deps): Provider => providerOf(deps.config.databaseUrl) ?? "sqlite";

/**
 * Case-insensitive substring match on both databases, where `%`, `_` and `\` in what a person
 * typed are plain characters (PostgreSQL's LIKE escapes with a backslash; SQLite's like() is ours).
 */
export function contains(deps: Deps, q: string) {
  const literal = likeLiteral(q);
  return providerOf(deps.config.databaseUrl) === "postgresql"
    ? ({ contains: literal, mode: "insensitive" } as { contains: string })
    : { contains: literal };
}

/** The LIKE pattern of "contains `text`", every character of it literal. */
export const containsPattern = (text: string) => `%${likeLiteral(text)}%`;

/** The same match in tagged SQL, `column` containing `text`: PostgreSQL's ILIKE; SQLite's LIKE is our like(). */
export const containsSql = (provider: Provider, column: Prisma.Sql, text: string) =>
  Prisma.sql`${column} ${Prisma.raw(provider === "postgresql" ? "ILIKE" : "LIKE")} ${containsPattern(text)}`;
