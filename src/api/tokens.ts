import { createHash, randomBytes } from "node:crypto";
import type { CurrentUser, Deps } from "../env.js";
import { isAdmin, isRole } from "../users/authorization.js";

// Personal access tokens for the JSON API (/api/v1). A person makes, names and revokes their own
// on /account; the token is shown once and stored as its SHA-256. It acts as its owner with the
// owner's role as it is at each request (read with the token, so a role taken away or an account
// disabled stops it at once, on every instance), and never more than its scopes.

export const SCOPES = ["tickets:read", "tickets:write", "admin"] as const;
export type Scope = (typeof SCOPES)[number];
/** The expiries offered, in days; 0: none. */
export const EXPIRIES = [30, 90, 365, 0] as const;
export const TOKEN_NAME_MAX = 60;
export const TOKENS_PER_PERSON = 20;
const PREFIX = "hd_";
/** Last-used time and address are written at most this often per token (not a write per request). */
const TOUCH_MS = 60_000;

/** The first call to try with a new token, shown with it. */
export const curlExample = (base: string, token: string) =>
  `curl -H "Authorization: Bearer ${token}" ${base}/api/v1/me`;

const hashOf = (token: string) => createHash("sha256").update(token).digest("hex");

export type TokenRow = {
  id: number;
  name: string;
  scopes: Scope[];
  expiresAt: Date | null;
  lastUsedAt: Date | null;
  lastUsedIp: string | null;
  createdAt: Date;
};

const scopesOf = (text: string) => text.split(" ").filter((s): s is Scope => (SCOPES as readonly string[]).includes(s));

/** The person's tokens that still work, newest first. */
export async function listTokens(deps: Deps, user: Pick<CurrentUser, "id">): Promise<TokenRow[]> {
  const now = deps.clock.now();
  const rows = await deps.db.apiToken.findMany({
    where: { userId: user.id, revokedAt: null, OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] },
    orderBy: { id: "desc" },
  });
  return rows.map((r) => ({ ...r, scopes: scopesOf(r.scopes) }));
}

export type NewToken = { name: string; scopes: Scope[]; expiresInDays: number };

/**
 * A new token: its text (shown once, never stored) and its row. "admin" is for admins only;
 * "full" when the person has TOKENS_PER_PERSON working tokens already.
 */
export async function createToken(
  deps: Deps,
  user: Pick<CurrentUser, "id" | "role">,
  wanted: NewToken,
): Promise<{ token: string; row: TokenRow } | "admin scope" | "full"> {
  if (wanted.scopes.includes("admin") && !isAdmin(user)) return "admin scope";
  if ((await listTokens(deps, user)).length >= TOKENS_PER_PERSON) return "full";
  const token = `${PREFIX}${randomBytes(32).toString("base64url")}`;
  const now = deps.clock.now();
  const expiresAt = wanted.expiresInDays ? new Date(now.getTime() + wanted.expiresInDays * 86_400_000) : null;
  const row = await deps.db.apiToken.create({
    data: {
      userId: user.id,
      name: wanted.name,
      tokenHash: hashOf(token),
      scopes: wanted.scopes.join(" "),
      expiresAt,
      createdAt: now,
    },
  });
  return { token, row: { ...row, scopes: scopesOf(row.scopes) } };
}

/** Revokes one of the person's own tokens; false when they have no such token. */
export async function revokeToken(deps: Deps, user: Pick<CurrentUser, "id">, id: number): Promise<boolean> {
  const done = await deps.db.apiToken.updateMany({
    where: { id, userId: user.id, revokedAt: null },
    data: { revokedAt: deps.clock.now() },
  });
  return done.count === 1;
}

export type TokenUser = { user: CurrentUser; scopes: Scope[]; tokenId: number };

/**
 * The person a bearer token acts as, or null: unknown, revoked, expired, or its owner disabled
 * (or erased). Notes when and from where it was used (at most once a minute).
 */
export async function authenticate(deps: Deps, token: string, address: string): Promise<TokenUser | null> {
  if (!token.startsWith(PREFIX) || token.length > 100) return null;
  const now = deps.clock.now();
  const row = await deps.db.apiToken.findUnique({
    where: { tokenHash: hashOf(token) },
    select: {
      id: true,
      scopes: true,
      expiresAt: true,
      revokedAt: true,
      lastUsedAt: true,
      lastUsedIp: true,
      user: { select: { id: true, email: true, name: true, role: true, disabledAt: true } },
    },
  });
  if (!row || row.revokedAt || (row.expiresAt && row.expiresAt <= now) || row.user.disabledAt) return null;
  if (!isRole(row.user.role)) return null;
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > TOUCH_MS || row.lastUsedIp !== address)
    await deps.db.apiToken.update({ where: { id: row.id }, data: { lastUsedAt: now, lastUsedIp: address } });
  const { disabledAt: _, ...user } = row.user;
  return { user: { ...user, role: row.user.role }, scopes: scopesOf(row.scopes), tokenId: row.id };
}
