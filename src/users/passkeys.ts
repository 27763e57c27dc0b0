import { createHash, randomBytes } from "node:crypto";
import type {
  AuthenticationResponseJSON,
  RegistrationResponseJSON,
  VerifiedRegistrationResponse,
} from "@simplewebauthn/server";
import type { Deps } from "../env.js";
import { publicBase } from "../mail/messages.js";
import { changingSessions } from "./session-cache.js";
import { replaceRecoveryCodes } from "./two-factor.js";

// Passkeys (WebAuthn, `@simplewebauthn/server`): a second factor, and once a person has one, a way
// to sign in without a password (user verification required: the device asked for its PIN or a
// fingerprint). The browser needs JavaScript for them; every page that offers one also offers the
// code from an authenticator app or a recovery code.

const CHALLENGE_MINUTES = 5;

/**
 * The WebAuthn library, loaded at the first passkey step: with its ASN.1 and certificate parsers it
 * is 4.5 MB of heap, which a desk whose people never use a passkey need not hold.
 */
const webauthn = () => import("@simplewebauthn/server");
export const PASSKEY_NAME_MAX = 60;
export const PASSKEYS_MAX = 20;
export type Purpose = "register" | "signin" | "second";

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

/** The relying party: the desk's own host and origin (PUBLIC_URL, or localhost:PORT). */
function relyingParty(deps: Deps) {
  const url = new URL(publicBase(deps.config));
  return { rpID: url.hostname, origin: url.origin, rpName: deps.config.mail.from.name };
}

/** Keeps a challenge for this browser (a token for its cookie), for one use within minutes. */
async function keepChallenge(deps: Deps, challenge: string, purpose: Purpose, userId: number | null) {
  const token = randomBytes(32).toString("base64url");
  const now = deps.clock.now();
  await deps.db.passkeyChallenge.create({
    data: {
      hash: sha256(`${purpose}:${token}`),
      challenge,
      purpose,
      userId,
      createdAt: now,
      expiresAt: new Date(now.getTime() + CHALLENGE_MINUTES * 60_000),
    },
  });
  return token;
}

/** Takes a challenge back (once): null when there is none for this purpose, or it ran out. */
async function takeChallenge(deps: Deps, token: string | undefined, purpose: Purpose) {
  if (!token || !/^[\w-]{43}$/.test(token)) return null;
  const hash = sha256(`${purpose}:${token}`);
  const row = await deps.db.passkeyChallenge.findUnique({ where: { hash } });
  const { count } = await deps.db.passkeyChallenge.deleteMany({ where: { hash, expiresAt: { gt: deps.clock.now() } } });
  return row && count ? row : null;
}

export const passkeysOf = (deps: Deps, userId: number) =>
  deps.db.passkey.findMany({
    where: { userId },
    orderBy: { createdAt: "asc" },
    select: { id: true, name: true, createdAt: true, lastUsedAt: true },
  });

/** The options for the browser to make a passkey for this person, and the challenge's token. */
export async function registrationOptions(deps: Deps, user: { id: number; email: string; name: string }) {
  const { rpID, rpName } = relyingParty(deps);
  const existing = await deps.db.passkey.findMany({
    where: { userId: user.id },
    select: { id: true, transports: true },
  });
  const options = await (await webauthn()).generateRegistrationOptions({
    rpName,
    rpID,
    userName: user.email,
    userDisplayName: user.name,
    userID: new TextEncoder().encode(`hyperdesk-user-${user.id}`),
    attestationType: "none",
    excludeCredentials: existing.map((p) => ({ id: p.id, transports: split(p.transports) })),
    authenticatorSelection: { residentKey: "required", userVerification: "required" },
  });
  return { options, token: await keepChallenge(deps, options.challenge, "register", user.id) };
}

const split = (transports: string) => (transports ? (transports.split(",") as never[]) : undefined);

export type AddResult =
  | { ok: true; recoveryCodes: string[] | null }
  | { ok: false; reason: "expired" | "invalid" | "full" };

/**
 * Keeps the passkey the browser made, after checking it against the challenge, the origin and the
 * relying party (user verification required). A person with no other second factor gets their
 * recovery codes now (the way in without this device, and without JavaScript).
 */
export async function addPasskey(
  deps: Deps,
  userId: number,
  token: string | undefined,
  response: RegistrationResponseJSON,
  name: string,
): Promise<AddResult> {
  const challenge = await takeChallenge(deps, token, "register");
  if (!challenge || challenge.userId !== userId) return { ok: false, reason: "expired" };
  if ((await deps.db.passkey.count({ where: { userId } })) >= PASSKEYS_MAX) return { ok: false, reason: "full" };
  const { rpID, origin } = relyingParty(deps);
  let verified: VerifiedRegistrationResponse;
  try {
    verified = await (await webauthn()).verifyRegistrationResponse({
      response,
      expectedChallenge: challenge.challenge,
      expectedOrigin: origin,
      expectedRPID: rpID,
      requireUserVerification: true,
    });
  } catch (error) {
    deps.log({ level: "warn", msg: "passkey refused", error: (error as Error).message });
    return { ok: false, reason: "invalid" };
  }
  if (!verified.verified || !verified.registrationInfo) return { ok: false, reason: "invalid" };
  const { credential } = verified.registrationInfo;
  const now = deps.clock.now();
  return changingSessions(deps, async (tx) => {
    await tx.passkey.create({
      data: {
        id: credential.id,
        userId,
        name,
        publicKey: Buffer.from(credential.publicKey),
        counter: credential.counter,
        transports: (credential.transports ?? []).join(","),
        createdAt: now,
      },
    });
    await tx.personEvent.create({ data: { userId, actorId: userId, kind: "passkey_added", createdAt: now } });
    const hasCodes = (await tx.recoveryCode.count({ where: { userId, usedAt: null } })) > 0;
    return { ok: true as const, recoveryCodes: hasCodes ? null : await replaceRecoveryCodes(tx, userId, now) };
  });
}

/** Removes one of a person's own passkeys (another person's id changes nothing). */
export async function removePasskey(deps: Deps, userId: number, id: string): Promise<string | null> {
  const now = deps.clock.now();
  return changingSessions(deps, async (tx) => {
    const row = await tx.passkey.findFirst({ where: { id, userId } });
    if (!row) return null;
    await tx.passkey.delete({ where: { id: row.id } });
    await tx.personEvent.create({ data: { userId, actorId: userId, kind: "passkey_removed", createdAt: now } });
    return row.name;
  });
}

/** Options to sign in with a passkey: any of this desk's (signin), or one of this person's (second step). */
export async function authenticationOptions(deps: Deps, purpose: "signin" | "second", userId: number | null) {
  const { rpID } = relyingParty(deps);
  const mine = userId
    ? await deps.db.passkey.findMany({ where: { userId }, select: { id: true, transports: true } })
    : [];
  const options = await (await webauthn()).generateAuthenticationOptions({
    rpID,
    userVerification: "required",
    allowCredentials: userId ? mine.map((p) => ({ id: p.id, transports: split(p.transports) })) : undefined,
  });
  return { options, token: await keepChallenge(deps, options.challenge, purpose, userId) };
}

/**
 * Checks a passkey's answer to a challenge of this browser: the person whose passkey it is, or
 * null. For the second step, only a passkey of the person signing in counts.
 */
export async function usePasskey(
  deps: Deps,
  token: string | undefined,
  purpose: "signin" | "second",
  response: AuthenticationResponseJSON,
  expectUserId?: number,
): Promise<number | null> {
  const challenge = await takeChallenge(deps, token, purpose);
  if (!challenge || typeof response?.id !== "string") return null;
  const passkey = await deps.db.passkey.findUnique({ where: { id: response.id }, include: { user: true } });
  if (!passkey || passkey.user.disabledAt) return null;
  if (expectUserId !== undefined && passkey.userId !== expectUserId) return null;
  const { rpID, origin } = relyingParty(deps);
  try {
    const verified = await (await webauthn()).verifyAuthenticationResponse({
      response,
      expectedChallenge: challenge.challenge,
      expectedOrigin: origin,
      expectedRPID: rpID,
      requireUserVerification: true,
      credential: {
        id: passkey.id,
        publicKey: new Uint8Array(passkey.publicKey),
        counter: passkey.counter,
        transports: split(passkey.transports),
      },
    });
    if (!verified.verified) return null;
    await deps.db.passkey.update({
      where: { id: passkey.id },
      data: { counter: verified.authenticationInfo.newCounter, lastUsedAt: deps.clock.now() },
    });
    return passkey.userId;
  } catch (error) {
    deps.log({ level: "warn", msg: "passkey sign-in refused", error: (error as Error).message });
    return null;
  }
}
