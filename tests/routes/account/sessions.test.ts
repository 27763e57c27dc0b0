import { SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { disablePerson } from "../../../src/users/admins.js";
import { Browser, browserAs, createUser, PASSWORD, SECRET, type TestApp, testApp } from "../../helpers/app.js";

// Sessions on the server: idle and absolute lifetimes, forged tokens, the account page's device list.

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(() => t.close());

describe("server-side sessions", () => {
  it("ends a session after the idle timeout, and keeps it while active", async () => {
    const b = await browserAs(t, await createUser(t.db));
    t.clock.advance(t.config.sessionIdleMs - 60_000);
    expect((await b.get("/account")).status).toBe(200);
    t.clock.advance(t.config.sessionIdleMs - 60_000);
    expect((await b.get("/account")).status).toBe(200);
    t.clock.advance(t.config.sessionIdleMs + 1000);
    expect((await b.get("/account")).status).toBe(303);
  });

  it("ends a session at its absolute lifetime however active it is", async () => {
    const b = await browserAs(t, await createUser(t.db));
    const step = t.config.sessionIdleMs / 2;
    let elapsed = 0;
    while (elapsed + step < t.config.sessionMaxMs) {
      t.clock.advance(step);
      elapsed += step;
      expect((await b.get("/account")).status).toBe(200);
    }
    t.clock.advance(step);
    expect((await b.get("/account")).status).toBe(303);
  });

  it("refuses forged and broken tokens with the sign-in redirect, never a 500", async () => {
    const user = await createUser(t.db);
    const b = await browserAs(t, user);
    const real = b.cookies.get("hyperdesk_session")!;
    const [h, p, s] = real.split(".");
    const key = new TextEncoder().encode(SECRET);
    /** A token signed with the real key, well formed, for a session that does not exist. */
    const signed = (claims: Record<string, string>) =>
      new SignJWT(claims)
        .setProtectedHeader({ alg: "HS256" })
        .setIssuedAt()
        .setExpirationTime("1h")
        .setIssuer("hyperdesk")
        .setAudience("hyperdesk")
        .sign(key);
    const cases = [
      `${Buffer.from('{"alg":"none"}').toString("base64url")}.${p}.`,
      `${h}.${p}.${s!.slice(0, 10)}${s![10] === "A" ? "B" : "A"}${s!.slice(11)}`,
      await signed({ sub: String(user.id), jti: "no-such-session" }),
      await signed({ sub: String(user.id) }),
      "%E0%A4%A",
      "x".repeat(5000),
    ];
    for (const token of cases) {
      const res = await t.app.request("/tickets", { headers: { Cookie: `hyperdesk_session=${token}` } });
      expect(res.status, token.slice(0, 30)).toBe(303);
      expect(res.headers.get("Location")).toMatch(/^http:\/\/localhost\/login/);
    }
    const garbage = await t.app.request("/tickets", {
      headers: { Cookie: 'hyperdesk_session=%ZZ%; =; ;;; a="unterminated; hyperdesk_flash=%E0%A4%A' },
    });
    expect(garbage.status).toBe(303);
  });

  it("lists sessions on the account page and ends another one", async () => {
    const user = await createUser(t.db);
    const here = await browserAs(t, user, "Mozilla/5.0 (Windows NT 10.0) Firefox/140.0");
    const there = await browserAs(t, user, "Mozilla/5.0 (Linux; Android 14) Chrome/156.0 Mobile Safari/537.36");
    const page = await here.get("/account");
    expect(page.text).toContain("Firefox on Windows");
    expect(page.text).toContain("(this device)");
    expect(page.text).toContain("Chromium on Android");
    const other = await t.db.session.findFirstOrThrow({
      where: { userId: user.id, userAgent: { contains: "Android" } },
    });
    const res = await here.post(`/account/sessions/${other.id}/end`, {}, { htmx: "partial" });
    expect(res.status).toBe(200);
    expect(res.text).not.toContain("Android");
    expect((await there.get("/account")).status).toBe(303);
    expect((await here.get("/account")).status).toBe(200);
  });

  it("cannot end another user's session", async () => {
    const victim = await browserAs(t, await createUser(t.db));
    const attacker = await browserAs(t, await createUser(t.db));
    const session = await t.db.session.findFirstOrThrow({
      orderBy: { createdAt: "desc" },
      where: {
        user: { sessions: { some: {} } },
        NOT: { userId: (await t.db.session.findFirstOrThrow({ orderBy: { createdAt: "desc" } })).userId },
      },
    });
    expect((await attacker.post(`/account/sessions/${session.id}/end`)).status).toBe(404);
    expect((await victim.get("/account")).status).toBe(200);
  });

  it("sign out everywhere ends the other sessions and keeps this one", async () => {
    const user = await createUser(t.db);
    const here = await browserAs(t, user);
    const there = await browserAs(t, user);
    const res = await here.post("/account/sessions/end-others");
    expect(res.status).toBe(303);
    expect((await there.get("/account")).status).toBe(303);
    const page = await here.get("/account");
    expect(page.status).toBe(200);
    expect(page.text).toContain("Signed out of 1 other session.");
  });

  it("a password change needs the current password and ends the other sessions", async () => {
    const user = await createUser(t.db);
    const here = await browserAs(t, user);
    const there = await browserAs(t, user);
    const wrong = await here.post("/account/password", {
      current_password: "nope",
      new_password: "a brand new passphrase",
    });
    expect(wrong.status).toBe(422);
    expect(wrong.text).toContain("That is not your current password.");
    expect((await there.get("/account")).status).toBe(200);
    const ok = await here.post("/account/password", {
      current_password: PASSWORD,
      new_password: "a brand new passphrase",
    });
    expect(ok.status).toBe(303);
    expect((await there.get("/account")).status).toBe(303);
    expect((await here.get("/account")).status).toBe(200);
    expect(
      (await new Browser(t).post("/login", { email: user.email, password: "a brand new passphrase" })).status,
    ).toBe(303);
  });

  it("disabling an account ends its sessions at the next request", async () => {
    const user = await createUser(t.db);
    const admin = await createUser(t.db, { role: "admin" });
    const b = await browserAs(t, user);
    expect((await b.get("/account")).status).toBe(200);
    // Twice: the second answer came from the session cache, which the disabling empties.
    expect((await b.get("/account")).status).toBe(200);
    expect(await disablePerson(t.deps, admin.id, user.id)).toBe("done");
    expect((await b.get("/account")).status).toBe(303);
  });

  it("renames the account in place", async () => {
    const b = await browserAs(t, await createUser(t.db));
    const res = await b.post("/account", { name: "Renamed Person" }, { htmx: "partial" });
    expect(res.status).toBe(200);
    expect(res.text).toContain('value="Renamed Person"');
    expect(res.text).toContain('data-hx-swap-oob="true"');
    expect((await b.post("/account", { name: "" })).status).toBe(422);
  });
});
