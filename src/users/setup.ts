import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type { Tx } from "../db/prisma.js";
import type { Deps } from "../env.js";
import { hashPassword } from "./password-rules.js";

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
async function consumeSetupToken(tx: Tx, token: string): Promise<boolean> {
  const { count } = await tx.setting.deleteMany({ where: { key: KEY, value: digest(token) } });
  return count === 1;
}

/**
 * Creates the first admin with the setup token, used up in the same transaction: two forms sent at
 * once (a double click, two operators) make one admin, and the other gets null.
 */
export async function createFirstAdmin(
  deps: Deps,
  token: string,
  input: { name: string; email: string; password: string },
) {
  const passwordHash = await hashPassword(input.password, deps.config.bcryptCost);
  const now = deps.clock.now();
  return deps.db.$transaction(async (tx) => {
    if (!(await consumeSetupToken(tx, token))) return null;
    const data = {
      name: input.name,
      email: input.email,
      role: "admin",
      passwordHash,
      createdAt: now,
      emailConfirmedAt: now,
    };
    return tx.user.create({ data, select: { id: true, email: true, name: true } });
  });
}
