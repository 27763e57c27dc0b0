import { describe, expect, it } from "vitest";
import { ConfigError, configWarnings, loadConfig } from "../src/config.js";

const secret = "x".repeat(40);

describe("config", () => {
  it("works with no variables at all in development, on SQLite under ./data", () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      env: "development",
      port: 3000,
      databaseUrl: "file:./data/hyperdesk.db",
      secure: false,
      kiosk: false,
      sessionIdleMs: 30 * 60_000,
      sessionMaxMs: 12 * 3_600_000,
      bcryptCost: 12,
      timeZone: "UTC",
    });
    expect(config.authSecret.length).toBeGreaterThanOrEqual(32);
    expect(loadConfig({}).authSecret).toEqual(config.authSecret);
  });

  it("refuses to start in production without AUTH_SECRET, naming it and how to make one", () => {
    expect(() => loadConfig({ NODE_ENV: "production" })).toThrow(ConfigError);
    expect(() => loadConfig({ NODE_ENV: "production" })).toThrow(/AUTH_SECRET.*openssl rand -base64 32/);
  });

  it("refuses a secret shorter than 32 bytes and accepts base64 of 32 bytes", () => {
    expect(() => loadConfig({ NODE_ENV: "production", AUTH_SECRET: "short" })).toThrow(/at least 32/);
    expect(() => loadConfig({ NODE_ENV: "production", AUTH_SECRET: "x".repeat(31) })).toThrow(/31 bytes/);
    expect(
      loadConfig({ NODE_ENV: "production", AUTH_SECRET: Buffer.alloc(32, 7).toString("base64") }).authSecret.length,
    ).toBe(44);
  });

  it("names each bad variable", () => {
    expect(() => loadConfig({ AUTH_SECRET: secret, PORT: "http", DATABASE_URL: "mysql://x" })).toThrow(
      /PORT[\s\S]*DATABASE_URL: must start with file:/,
    );
    expect(() => loadConfig({ AUTH_SECRET: secret, BCRYPT_COST: "10" })).toThrow(/BCRYPT_COST/);
    expect(() => loadConfig({ AUTH_SECRET: secret, TIME_ZONE: "Europe/Atlantis" })).toThrow(
      /TIME_ZONE: must be an IANA time zone name/,
    );
  });

  it("turns on secure cookies over https and short idle sessions in kiosk mode", () => {
    const config = loadConfig({ AUTH_SECRET: secret, PUBLIC_URL: "https://help.example.com/", KIOSK_MODE: "true" });
    expect(config).toMatchObject({
      secure: true,
      publicUrl: "https://help.example.com",
      kiosk: true,
      sessionIdleMs: 5 * 60_000,
    });
  });

  it("says in one line when PUBLIC_URL is http behind a proxy or in production, and nothing for a local desk", () => {
    const secret = "s".repeat(40);
    const behind = loadConfig({ PUBLIC_URL: "http://help.example.org", TRUST_PROXY: "1", AUTH_SECRET: secret });
    expect(configWarnings(behind)).toEqual([expect.stringContaining("set PUBLIC_URL=https://help.example.org")]);
    const production = loadConfig({
      NODE_ENV: "production",
      PUBLIC_URL: "http://help.example.org",
      AUTH_SECRET: secret,
    });
    expect(configWarnings(production)).toHaveLength(1);
    expect(configWarnings(loadConfig({ NODE_ENV: "production", AUTH_SECRET: secret }))).toEqual([
      expect.stringContaining("PUBLIC_URL is not set"),
    ]);
    for (const fine of [
      { PUBLIC_URL: "https://help.example.org", TRUST_PROXY: "1" },
      { PUBLIC_URL: "http://localhost:3000", TRUST_PROXY: "1" },
      {},
    ])
      expect(configWarnings(loadConfig({ ...fine, AUTH_SECRET: secret }))).toEqual([]);
  });
});
