import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type { Tx } from "../db/prisma.js";
import type { Deps } from "../env.js";

const KEY = "first_admin_setup_token";
const digest = (token: string) => createHash("sha256").update(token).digest("hex");

/**
 * With no admin in the database, makes a one-time setup token and prints its link. Only its hash
 * is stored; a restart prints a new link and the old one stops working.
 */
export async function announceFirstAdminSetup(deps: Deps): Promise<string | undefined> {
  const { db, config } = deps;
  if (await db.user.count({ where: { role: "admin" } })) return undefined;
  const token = randomBytes(24).toString("base64url");
  await db.setting.upsert({
    where: { key: KEY },
    create: { key: KEY, value: digest(token) },
    update: { value: digest(token) },
  });
  const base = config.publicUrl ?? `http://localhost:${config.port}`;
  deps.log({
    msg: `No admin yet. Create the first admin account at ${base}/setup?token=${token} (the link works once).`,
  });
  return token;
}

export async function setupTokenValid(deps: Deps, token: string | undefined): Promise<boolean> {
  if (!token) return false;
  const row = await deps.db.setting.findUnique({ where: { key: KEY } });
  if (!row) return false;
  const a = Buffer.from(row.value);
  const b = Buffer.from(digest(token));
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Uses the token up: true for exactly one caller, however many forms arrive at once, because the
 * row goes only if it still holds this token's hash.
 */
export async function consumeSetupToken(tx: Tx, token: string): Promise<boolean> {
  const { count } = await tx.setting.deleteMany({ where: { key: KEY, value: digest(token) } });
  return count === 1;
}
