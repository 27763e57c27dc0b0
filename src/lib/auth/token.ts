import { SignJWT, jwtVerify } from "jose";

const ISSUER = "hyperdesk";
const AUDIENCE = "hyperdesk";

export type AuthClaims = { userId: number; sessionId: string };

/** An HS256 JWT naming the user (sub) and the server-side session (jti); it expires with the session. */
export async function signAuthToken(
  claims: AuthClaims & { expiresAt: Date },
  secret: Uint8Array,
  now: Date,
): Promise<string> {
  return new SignJWT({})
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setSubject(String(claims.userId))
    .setJti(claims.sessionId)
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt(Math.floor(now.getTime() / 1000))
    .setExpirationTime(Math.floor(claims.expiresAt.getTime() / 1000))
    .sign(secret);
}

/**
 * The claims of a token this server signed and that has not expired, or null for anything else:
 * another algorithm (or none), a bad signature, an edited payload, a missing claim.
 */
export async function verifyAuthToken(token: string, secret: Uint8Array, now: Date): Promise<AuthClaims | null> {
  try {
    const { payload } = await jwtVerify(token, secret, {
      algorithms: ["HS256"],
      issuer: ISSUER,
      audience: AUDIENCE,
      requiredClaims: ["exp", "iat", "sub", "jti"],
      currentDate: now,
    });
    const userId = Number(payload.sub);
    if (!Number.isSafeInteger(userId) || userId <= 0 || typeof payload.jti !== "string") return null;
    return { userId, sessionId: payload.jti };
  } catch {
    return null;
  }
}
