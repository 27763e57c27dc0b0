import { base64url, SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import { signAuthToken, verifyAuthToken } from "../../../src/http/auth/token.js";

const secret = new TextEncoder().encode("a-secret-of-at-least-thirty-two-bytes-long!!");
const now = new Date("2026-11-25T10:00:00Z");
const later = new Date(now.getTime() + 3_600_000);
const sign = () => signAuthToken({ userId: 7, sessionId: "s-1", expiresAt: later }, secret, now);

const part = (token: string, i: number) => JSON.parse(new TextDecoder().decode(base64url.decode(token.split(".")[i]!)));
const encode = (obj: unknown) => base64url.encode(JSON.stringify(obj));

describe("signAuthToken / verifyAuthToken", () => {
  it("round-trips the user and the session", async () => {
    expect(await verifyAuthToken(await sign(), secret, now)).toEqual({ userId: 7, sessionId: "s-1" });
  });

  it("refuses alg none", async () => {
    const token = await sign();
    const forged = `${encode({ alg: "none", typ: "JWT" })}.${token.split(".")[1]}.`;
    expect(await verifyAuthToken(forged, secret, now)).toBeNull();
  });

  it("refuses a flipped signature byte and an edited payload", async () => {
    const token = await sign();
    const [h, p, s] = token.split(".");
    const flipped = `${h}.${p}.${s!.slice(0, -2)}${s!.slice(-2) === "AA" ? "AB" : "AA"}`;
    expect(await verifyAuthToken(flipped, secret, now)).toBeNull();
    const payload = { ...part(token, 1), sub: "1" };
    expect(await verifyAuthToken(`${h}.${encode(payload)}.${s}`, secret, now)).toBeNull();
  });

  it("refuses another algorithm, even with the same secret", async () => {
    const payload = part(await sign(), 1);
    const hs512 = await new SignJWT(payload).setProtectedHeader({ alg: "HS512" }).sign(secret);
    expect(await verifyAuthToken(hs512, secret, now)).toBeNull();
  });

  it("refuses an expired token and one signed with another secret", async () => {
    expect(await verifyAuthToken(await sign(), secret, new Date(later.getTime() + 1000))).toBeNull();
    const other = new TextEncoder().encode("another-secret-of-at-least-thirty-two-bytes!!");
    expect(await verifyAuthToken(await sign(), other, now)).toBeNull();
  });

  it.each(["exp", "iat", "sub", "jti", "iss", "aud"])("refuses a token without %s", async (claim) => {
    const payload = part(await sign(), 1);
    delete payload[claim];
    const token = await new SignJWT(payload).setProtectedHeader({ alg: "HS256" }).sign(secret);
    expect(await verifyAuthToken(token, secret, now)).toBeNull();
  });

  it("answers a token it has checked before by the clock: expired is expired, and another key is still refused", async () => {
    const token = await sign();
    expect(await verifyAuthToken(token, secret, now)).toEqual({ userId: 7, sessionId: "s-1" });
    expect(await verifyAuthToken(token, secret, new Date(later.getTime() - 1000))).toEqual({
      userId: 7,
      sessionId: "s-1",
    });
    expect(await verifyAuthToken(token, secret, later)).toBeNull();
    expect(await verifyAuthToken(token, secret, now)).toEqual({ userId: 7, sessionId: "s-1" });
    const other = new TextEncoder().encode("a-third-secret-of-at-least-thirty-two-bytes!!");
    expect(await verifyAuthToken(token, other, now)).toBeNull();
    const [h, p, s] = token.split(".");
    expect(
      await verifyAuthToken(`${h}.${p}.${s!.slice(0, -2)}${s!.slice(-2) === "AA" ? "AB" : "AA"}`, secret, now),
    ).toBeNull();
  });

  it("refuses garbage", async () => {
    for (const junk of ["", "a.b.c", "%%%", "x".repeat(5000)])
      expect(await verifyAuthToken(junk, secret, now)).toBeNull();
  });
});
