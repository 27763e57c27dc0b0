import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CurrentUser } from "../../src/env.js";
import { replaceRecoveryCodes } from "../../src/users/two-factor.js";
import { Browser, browserAs, createUser, PASSWORD, type TestApp, testApp } from "../helpers/app.js";

// Passkeys' server side: the options it gives (relying party, user verification required), what
// it refuses (no challenge, not JSON, a made-up answer, another person's passkey, no CSRF token),
// a passkey as a second factor after a password, and an admin's reset taking passkeys too. The
// browser side, with a virtual authenticator, is tests/e2e/passkeys.test.ts.

let t: TestApp;
beforeAll(async () => {
  t = await testApp({ PUBLIC_URL: "http://desk.test", LOGIN_FAILURE_DELAY_MS: "0" });
});
afterAll(() => t.close());

/** A JSON post as app.js sends it: the page's CSRF token in the header. */
async function postJson(b: Browser, path: string, body: unknown, csrf: string | null = "page") {
  if (csrf === "page" && !b.csrf) await b.get(b.signedIn() ? "/account/two-factor" : "/login");
  const headers: Record<string, string> = { "Content-Type": "application/json" };
  if (csrf) headers["X-CSRF-Token"] = csrf === "page" ? b.csrf! : csrf;
  return b.request(path, { method: "POST", body: JSON.stringify(body), headers });
}

const addKey = (user: CurrentUser, id = `cred-${Math.random().toString(36).slice(2)}`) =>
  t.db.passkey.create({ data: { id, userId: user.id, name: "Desk key", publicKey: Buffer.from([1, 2, 3]) } });

describe("passkeys on the server", () => {
  it("gives options for a new passkey: this desk, this person, user verification required", async () => {
    const user = await createUser(t.db, { name: "Opal Options" });
    const b = await browserAs(t, user);
    const res = await postJson(b, "/account/two-factor/passkeys/options", {});
    expect(res.status).toBe(200);
    const options = JSON.parse(res.text);
    expect(options.rp).toEqual({ name: "Hyperdesk", id: "desk.test" });
    expect(options.user.name).toBe(user.email);
    expect(options.user.displayName).toBe("Opal Options");
    expect(options.authenticatorSelection).toMatchObject({ residentKey: "required", userVerification: "required" });
    expect(options.challenge).toMatch(/^[\w-]+$/);
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith("hyperdesk_passkey_register="))!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
    expect(await t.db.passkeyChallenge.count({ where: { userId: user.id, purpose: "register" } })).toBe(1);
  });

  it("refuses what is not a real answer to its own challenge, keeping the page", async () => {
    const user = await createUser(t.db);
    const b = await browserAs(t, user);
    // No challenge asked for first.
    const none = await postJson(b, "/account/two-factor/passkeys", { name: "x", response: { id: "abc" } });
    expect(none.status).toBe(422);
    expect(none.text).toContain("That took too long. Try adding the passkey again.");
    expect(none.text).toContain('id="two-factor"');
    await postJson(b, "/account/two-factor/passkeys/options", {});
    const made = await postJson(b, "/account/two-factor/passkeys", {
      name: "x",
      response: {
        id: "abc",
        rawId: "abc",
        type: "public-key",
        response: { clientDataJSON: "e30", attestationObject: "AA" },
      },
    });
    expect(made.status).toBe(422);
    expect(made.text).toContain("The passkey could not be added.");
    // The challenge is spent: the same answer again is "too long", not checked again.
    const again = await postJson(b, "/account/two-factor/passkeys", { name: "x", response: { id: "abc" } });
    expect(again.text).toContain("That took too long.");
    const notJson = await b.request("/account/two-factor/passkeys", {
      method: "POST",
      body: "name=x",
      headers: { "Content-Type": "application/x-www-form-urlencoded", "X-CSRF-Token": b.csrf! },
    });
    expect(notJson.status).toBe(422);
    expect(await t.db.passkey.count({ where: { userId: user.id } })).toBe(0);
    // Without the page's CSRF token: refused before anything.
    expect((await postJson(b, "/account/two-factor/passkeys/options", {}, null)).status).toBe(403);
    // Signed out: to sign in.
    expect((await postJson(new Browser(t), "/account/two-factor/passkeys/options", {})).status).toBe(303);
  });

  it("signing in with one: options name no one; a made-up answer or no challenge is refused (401)", async () => {
    const b = new Browser(t);
    const res = await postJson(b, "/login/passkey/options", {});
    expect(res.status).toBe(200);
    const options = JSON.parse(res.text);
    expect(options.rpId).toBe("desk.test");
    expect(options.userVerification).toBe("required");
    expect(options.allowCredentials ?? []).toEqual([]);
    const user = await createUser(t.db);
    const key = await addKey(user);
    const made = await postJson(b, "/login/passkey", {
      response: {
        id: key.id,
        rawId: key.id,
        type: "public-key",
        response: { clientDataJSON: "e30", authenticatorData: "AA", signature: "AA" },
      },
    });
    expect(made.status).toBe(401);
    expect(JSON.parse(made.text).error).toContain("That passkey did not sign you in.");
    expect(b.signedIn()).toBe(false);
    expect((await postJson(b, "/login/passkey", { response: {} })).status).toBe(401);
    expect((await postJson(b, "/login/passkey", [])).status).toBe(401);
  });

  it("a passkey is a second factor: the password leads to the second step, which offers it", async () => {
    const user = await createUser(t.db, { name: "Kit Key" });
    await addKey(user);
    const b = new Browser(t);
    const login = await b.post("/login", { email: user.email, password: PASSWORD });
    expect(login.location).toBe("/login/two-factor");
    const page = await b.get("/login/two-factor");
    expect(page.text).toContain('data-passkey-second="true"');
    expect(page.text).toContain('data-label="Use a passkey"');
    const options = await postJson(b, "/login/two-factor/passkey/options", {});
    expect(options.status).toBe(200);
    expect(JSON.parse(options.text).allowCredentials).toHaveLength(1);
    // Someone else's browser has no second step to finish.
    const other = await postJson(new Browser(t), "/login/two-factor/passkey/options", {});
    expect(other.status).toBe(410);
    expect(JSON.parse(other.text).location).toBe("/login");
    const made = await postJson(b, "/login/two-factor/passkey", { response: { id: "nope" } });
    expect(made.status).toBe(401);
    expect(b.signedIn()).toBe(false);
    // Without the device (or without JavaScript), a recovery code finishes it: no app needed.
    const codes = await t.db.$transaction((tx) => replaceRecoveryCodes(tx, user.id, new Date()));
    const byCode = await b.post("/login/two-factor", { code: codes[0]! });
    expect(byCode.status).toBe(303);
    expect(b.signedIn()).toBe(true);
  });

  it("a person removes their own passkey (recorded), never another's; an admin's reset takes them all", async () => {
    const user = await createUser(t.db);
    const other = await createUser(t.db);
    const mine = await addKey(user);
    const theirs = await addKey(other);
    const b = await browserAs(t, user);
    const page = await b.get("/account/two-factor");
    expect(page.text).toContain("Desk key");
    expect(page.text).toContain("Two-step sign-in is on.");
    expect((await b.post(`/account/two-factor/passkeys/${theirs.id}/delete`)).status).toBe(404);
    expect(await t.db.passkey.count({ where: { id: theirs.id } })).toBe(1);
    const removed = await b.post(`/account/two-factor/passkeys/${mine.id}/delete`);
    expect(removed.status).toBe(303);
    expect((await b.get("/account/two-factor")).text).toContain("The passkey Desk key is removed.");
    const events = await t.db.personEvent.findMany({ where: { userId: user.id } });
    expect(events.map((e) => e.kind)).toEqual(["passkey_removed"]);

    const admin = await createUser(t.db, { role: "admin" });
    const a = await browserAs(t, admin);
    expect((await a.get(`/admin/users/${other.id}`)).text).toContain(`href="/admin/users/${other.id}/two-factor"`);
    expect((await a.post(`/admin/users/${other.id}/two-factor`)).status).toBe(303);
    expect(await t.db.passkey.count({ where: { userId: other.id } })).toBe(0);
  });

  it("where two-step sign-in is required for staff, an agent's last passkey stays", async () => {
    const agent = await createUser(t.db, { role: "agent" });
    const key = await addKey(agent);
    await t.db.setting.upsert({
      where: { key: "require_2fa_staff" },
      create: { key: "require_2fa_staff", value: "true" },
      update: { value: "true" },
    });
    try {
      const b = await browserAs(t, { ...agent, twoFactor: true });
      const res = await b.post(`/account/two-factor/passkeys/${key.id}/delete`);
      expect(res.status).toBe(409);
      expect(res.text).toContain("so it cannot be turned off");
      expect(await t.db.passkey.count({ where: { id: key.id } })).toBe(1);
      // The queue opens: the passkey counts as the second factor.
      expect((await b.get("/queue")).status).toBe(200);
    } finally {
      await t.db.setting.deleteMany({ where: { key: "require_2fa_staff" } });
    }
  });
});
