import { createHash, randomBytes } from "node:crypto";
import { LRUCache } from "lru-cache";
import * as client from "openid-client";
import type { SsoSettings } from "../config.js";
import type { CurrentUser, Deps } from "../env.js";
import { publicBase } from "../mail/messages.js";
import { changingSessions } from "./session-cache.js";
import {
  hasSecondFactor,
  type RequestMeta,
  type SignedIn,
  startSession,
  toCurrentUser,
  withPasskeys,
} from "./sessions.js";
import { startPendingSignIn } from "./two-factor.js";

// Single sign-on with OpenID Connect (authorization code flow with PKCE, state and nonce; the
// `openid-client` library does the protocol). A provider's account is matched by its subject; the
// first time, by a verified email to an account here, but linked only once that person has signed
// in here too (a provider that lets anyone set any email cannot take an account over).

const STATE_MINUTES = 10;
const LINK_MINUTES = 15;
/** What a provider's `amr` says when the person used more than a password (RFC 8176). */
const MFA_METHODS = new Set(["mfa", "otp", "hwk", "swk", "sc", "fpt", "face", "iris", "retina", "vbm", "pop"]);

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

/** The providers people may sign in with: the environment's first, then those admins added. */
export async function ssoProviders(deps: Deps): Promise<SsoSettings[]> {
  const rows = await deps.db.ssoProvider.findMany({ orderBy: { name: "asc" } });
  const env = deps.config.sso.env;
  return [...(env ? [env] : []), ...rows.filter((r) => r.slug !== env?.slug)];
}

export async function ssoProvider(deps: Deps, slug: string): Promise<SsoSettings | null> {
  const env = deps.config.sso.env;
  if (env?.slug === slug) return env;
  return deps.db.ssoProvider.findUnique({ where: { slug } });
}

/** Each provider's discovery document, read once an hour per process. */
const discovered = new LRUCache<string, client.ServerMetadata>({ max: 50, ttl: 60 * 60_000 });

export class SsoUnreachable extends Error {}

/**
 * The client's configuration for a provider: its metadata (discovered), our client id and secret,
 * and the desk's clock (so an ID token's times are judged by the same clock as everything else).
 */
async function configOf(deps: Deps, p: SsoSettings): Promise<client.Configuration> {
  const key = `${p.issuer}|${p.clientId}`;
  let metadata = discovered.get(key);
  const skew = Math.round((deps.clock.now().getTime() - Date.now()) / 1000);
  const clientMetadata = { client_secret: p.clientSecret, [client.clockSkew]: skew };
  const options = deps.config.sso.allowHttp
    ? { execute: [client.allowInsecureRequests], timeout: 10 }
    : { timeout: 10 };
  if (!metadata) {
    try {
      const config = await client.discovery(new URL(p.issuer), p.clientId, clientMetadata, undefined, options);
      metadata = config.serverMetadata();
      discovered.set(key, metadata);
      return config;
    } catch (error) {
      throw new SsoUnreachable(`${p.issuer}: ${(error as Error).message}`);
    }
  }
  const config = new client.Configuration(metadata, p.clientId, clientMetadata);
  if (deps.config.sso.allowHttp) client.allowInsecureRequests(config);
  config.timeout = 10;
  return config;
}

/** Checks that a provider can be reached and speaks OpenID Connect (when an admin adds it). */
export async function checkProvider(deps: Deps, p: SsoSettings): Promise<string | null> {
  if (p.issuer.startsWith("http:") && !deps.config.sso.allowHttp) return "http";
  discovered.delete(`${p.issuer}|${p.clientId}`);
  try {
    await configOf(deps, p);
    return null;
  } catch {
    return "unreachable";
  }
}

export const callbackUrl = (deps: Deps, slug: string) => `${publicBase(deps.config)}/login/sso/${slug}/callback`;

/** Starts a sign-in at the provider: where to send the browser, and the token for its cookie. */
export async function startSso(deps: Deps, p: SsoSettings, next: string | undefined) {
  const config = await configOf(deps, p);
  const verifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const nonce = client.randomNonce();
  const token = randomBytes(32).toString("base64url");
  const now = deps.clock.now();
  await deps.db.ssoState.create({
    data: {
      hash: sha256(token),
      provider: p.slug,
      state,
      nonce,
      verifier,
      next: next ?? null,
      createdAt: now,
      expiresAt: new Date(now.getTime() + STATE_MINUTES * 60_000),
    },
  });
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: callbackUrl(deps, p.slug),
    scope: "openid email profile",
    code_challenge: await client.calculatePKCECodeChallenge(verifier),
    code_challenge_method: "S256",
    state,
    nonce,
  });
  return { url: url.href, token, minutes: STATE_MINUTES };
}

export type SsoOutcome =
  | ({ kind: "signed-in"; next: string | null } & SignedIn)
  | { kind: "second-step"; token: string }
  | { kind: "link"; token: string; email: string; minutes: number }
  | { kind: "refused"; reason: "expired" | "failed" | "unverified" | "unknown" | "disabled" | "no-email" };

/**
 * The provider's answer (the callback URL as the browser brought it): the code exchanged (PKCE,
 * state and nonce checked, the ID token's signature and times), then the person found, linked or
 * made. Any failure of the exchange is "failed" (a wrong state, a replayed code, an expired ID
 * token): the person starts again.
 */
export async function finishSso(
  deps: Deps,
  p: SsoSettings,
  stateToken: string | undefined,
  current: URL,
  meta: RequestMeta,
): Promise<SsoOutcome> {
  const { db } = deps;
  const now = deps.clock.now();
  if (!stateToken || !/^[\w-]{43}$/.test(stateToken)) return { kind: "refused", reason: "expired" };
  // Used once, whatever comes of it.
  const row = await db.ssoState.findUnique({ where: { hash: sha256(stateToken) } });
  const { count } = await db.ssoState.deleteMany({ where: { hash: sha256(stateToken), expiresAt: { gt: now } } });
  if (!row || !count || row.provider !== p.slug) return { kind: "refused", reason: "expired" };
  let claims: Record<string, unknown>;
  let idToken: string | undefined;
  try {
    const config = await configOf(deps, p);
    const tokens = await client.authorizationCodeGrant(config, current, {
      pkceCodeVerifier: row.verifier,
      expectedState: row.state,
      expectedNonce: row.nonce,
      idTokenExpected: true,
    });
    claims = { ...tokens.claims() };
    idToken = tokens.id_token;
    // Email is often only in the user info (providers that conform ID tokens to the scope's claims).
    if (claims.email === undefined && tokens.access_token) {
      const info = await client.fetchUserInfo(config, tokens.access_token, String(claims.sub));
      claims = { ...info, ...claims, email: info.email, email_verified: info.email_verified };
    }
  } catch (error) {
    // What went wrong, for the operator (the library's words are its own: a wrong state, a
    // replayed code, an expired or mis-signed ID token...); the person is told to start again.
    const e = error as Error & { code?: string; cause?: unknown };
    const cause = e.cause instanceof Error ? e.cause.message : typeof e.cause === "string" ? e.cause : undefined;
    deps.log({ level: "warn", msg: "single sign-on refused", provider: p.slug, error: e.message, code: e.code, cause });
    return { kind: "refused", reason: "failed" };
  }
  const subject = String(claims.sub);
  const email = typeof claims.email === "string" ? claims.email.trim().toLowerCase() : null;
  const verified = claims.email_verified === true;
  const usedMfa = Array.isArray(claims.amr) && claims.amr.some((m) => MFA_METHODS.has(String(m)));
  const isAgent = Boolean(
    p.agentClaim && p.agentValue && [claims[p.agentClaim]].flat().some((v) => String(v) === p.agentValue),
  );

  const identity = await db.ssoIdentity.findUnique({
    where: { provider_subject: { provider: p.slug, subject } },
    include: { user: { include: withPasskeys } },
  });
  let user = identity?.user ?? null;
  if (!user) {
    if (!email) return { kind: "refused", reason: "no-email" };
    const existing = await db.user.findUnique({ where: { email } });
    if (existing) {
      // Never linked on the provider's word alone: an unverified address is refused, a verified
      // one waits for the person to sign in here once.
      if (!verified) return { kind: "refused", reason: "unverified" };
      if (existing.disabledAt) return { kind: "refused", reason: "disabled" };
      const token = randomBytes(32).toString("base64url");
      await db.ssoLink.create({
        data: {
          hash: sha256(token),
          provider: p.slug,
          subject,
          userId: existing.id,
          createdAt: now,
          expiresAt: new Date(now.getTime() + LINK_MINUTES * 60_000),
        },
      });
      return { kind: "link", token, email, minutes: LINK_MINUTES };
    }
    if (!p.createPeople) return { kind: "refused", reason: "unknown" };
    if (!verified) return { kind: "refused", reason: "unverified" };
    const name = [claims.name, [claims.given_name, claims.family_name].filter(Boolean).join(" "), email]
      .map((v) => (typeof v === "string" ? v.trim() : ""))
      .find(Boolean)!
      .slice(0, 100);
    user = await db.$transaction(async (tx) => {
      const made = await tx.user.create({
        include: withPasskeys,
        data: {
          email,
          name,
          passwordHash: "",
          role: isAgent ? "agent" : "requester",
          emailConfirmedAt: now,
          language: meta.language ?? null,
          createdAt: now,
        },
      });
      await tx.ssoIdentity.create({
        data: { provider: p.slug, subject, userId: made.id, createdAt: now, lastUsedAt: now },
      });
      return made;
    });
  } else {
    if (user.disabledAt) return { kind: "refused", reason: "disabled" };
    await db.ssoIdentity.update({
      where: { provider_subject: { provider: p.slug, subject } },
      data: { lastUsedAt: now },
    });
    // The directory's group makes a requester an agent; it never takes a role away (an admin does).
    if (isAgent && user.role === "requester")
      user = await changingSessions(deps, (tx) =>
        tx.user.update({ where: { id: user!.id }, data: { role: "agent" }, include: withPasskeys }),
      );
  }
  if (hasSecondFactor(user) && !(p.trustMfa && usedMfa))
    return { kind: "second-step", token: await startPendingSignIn(deps, user.id, row.next ?? undefined) };
  const session = await startSession(deps, toCurrentUser(user), meta, { ssoProvider: p.slug, idToken });
  return { kind: "signed-in", next: row.next, ...session };
}

/**
 * After someone signed in here in the browser that holds a link's cookie: the provider's account
 * is linked if it was found for this very person. The provider's name when it was.
 */
export async function completeLink(deps: Deps, token: string | undefined, user: CurrentUser): Promise<string | null> {
  if (!token || !/^[\w-]{43}$/.test(token)) return null;
  const now = deps.clock.now();
  const row = await deps.db.ssoLink.findUnique({ where: { hash: sha256(token) } });
  if (!row || row.userId !== user.id || row.expiresAt <= now) return null;
  await deps.db.$transaction(async (tx) => {
    await tx.ssoLink.deleteMany({ where: { hash: row.hash } });
    await tx.ssoIdentity.upsert({
      where: { provider_subject: { provider: row.provider, subject: row.subject } },
      create: { provider: row.provider, subject: row.subject, userId: user.id, createdAt: now, lastUsedAt: now },
      update: {},
    });
  });
  return (await ssoProvider(deps, row.provider))?.name ?? row.provider;
}

/** Where to send a browser signing out of a session made by single sign-on: the provider's end-session page, if it has one. */
export async function endSessionUrl(deps: Deps, slug: string, idToken: string | null): Promise<string | null> {
  const p = await ssoProvider(deps, slug);
  if (!p) return null;
  try {
    const config = await configOf(deps, p);
    if (!config.serverMetadata().end_session_endpoint) return null;
    const params: Record<string, string> = {
      post_logout_redirect_uri: `${publicBase(deps.config)}/login?signed-out`,
      client_id: p.clientId,
    };
    if (idToken) params.id_token_hint = idToken;
    return client.buildEndSessionUrl(config, params).href;
  } catch {
    return null;
  }
}
