import { Secret, TOTP } from "otpauth";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sweep } from "../../src/db/sweep.js";
import type { CurrentUser } from "../../src/env.js";
import { PENDING_MAX_FAILURES, PENDING_MINUTES, stepOfCode } from "../../src/users/two-factor.js";
import { Browser, browserAs, createUser, PASSWORD, type TestApp, testApp } from "../helpers/app.js";

// Two-factor sign-in with an authenticator app: set-up (QR code and key, confirmed by a code, ten
// recovery codes shown once), the second step after a password or a sign-in link (a half-signed
// state bound to this browser, short, for a few guesses), codes taken once, recovery codes,
// new codes and turning off (each with a code), required for staff, an admin's reset.

let t: TestApp;
beforeAll(async () => {
  t = await testApp({ TRUST_PROXY: "1", LOGIN_FAILURE_DELAY_MS: "0" });
});
afterAll(() => t.close());

let client = 0;
/** Each test's requests from an address of its own: the per-address limit is met only where a test means to. */
const from = () => ({ headers: { "X-Forwarded-For": `203.0.113.${++client}` } });

/** The code an authenticator app with this secret shows at the test clock's time (or `offsetS` from it). */
const codeOf = (secret: string, offsetS = 0) =>
  TOTP.generate({ secret: Secret.fromBase32(secret), timestamp: t.clock.t + offsetS * 1000 });
const secretOf = async (id: number) => (await t.db.user.findUniqueOrThrow({ where: { id } })).totpSecret!;

/** A person who has set up two-factor through the pages; their recovery codes. */
async function withTwoFactor(user: CurrentUser): Promise<string[]> {
  const b = await browserAs(t, user);
  const setup = await b.post("/account/two-factor/setup");
  expect(setup.status).toBe(200);
  const { totpPendingSecret } = await t.db.user.findUniqueOrThrow({ where: { id: user.id } });
  const done = await b.post("/account/two-factor/confirm", { code: codeOf(totpPendingSecret!) });
  expect(done.status).toBe(200);
  // The code used to confirm is spent: the next sign-in needs the next one.
  t.clock.advance(30_000);
  return [...done.text.matchAll(/<code>([a-z0-9]{5}-[a-z0-9]{5})<\/code>/g)].map((m) => m[1]!);
}

/** A browser that got past the password of `user`: at the second step. */
async function halfSignedIn(user: CurrentUser, options = from()) {
  const b = new Browser(t);
  const res = await b.post("/login", { email: user.email, password: PASSWORD }, options);
  expect(res.status).toBe(303);
  expect(res.location).toBe("/login/two-factor");
  return b;
}

describe("the codes", () => {
  // RFC 6238, appendix B: the SHA-1 secret "12345678901234567890", the last six of its eight digits.
  const rfcSecret = Buffer.from("12345678901234567890").toString("hex");
  const base32 = Secret.fromHex(rfcSecret).base32;
  it.each([
    [59, "287082", 1],
    [1111111109, "081804", 37037036],
    [1234567890, "005924", 41152263],
    [2000000000, "279037", 66666666],
  ])("at %i s the code is %s (step %i); a step either side is taken, two steps not", (seconds, code, step) => {
    const at = new Date(seconds * 1000);
    expect(stepOfCode(t.deps, base32, "a@example.com", code, at)).toBe(step);
    expect(stepOfCode(t.deps, base32, "a@example.com", code, new Date(at.getTime() + 30_000))).toBe(step);
    expect(stepOfCode(t.deps, base32, "a@example.com", code, new Date(at.getTime() + 61_000))).toBeNull();
    expect(stepOfCode(t.deps, base32, "a@example.com", "12345", at)).toBeNull();
  });
});

describe("setting it up", () => {
  it("shows the key as text and a QR code made here, and turns on only with a right code", async () => {
    const user = await createUser(t.db, { name: "Set Up" });
    const b = await browserAs(t, user);
    const page = await b.get("/account/two-factor");
    expect(page.status).toBe(200);
    expect(page.text).toContain("Two-step sign-in is off.");
    const setup = await b.post("/account/two-factor/setup");
    const row = await t.db.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(row.totpSecret).toBeNull();
    expect(row.totpPendingSecret).toMatch(/^[A-Z2-7]{32}$/);
    // The key in groups of four, and an SVG QR code inline (no script, no remote image).
    expect(setup.text).toContain(row.totpPendingSecret!.replace(/(.{4})(?=.)/g, "$1 "));
    expect(setup.text).toMatch(/<svg xmlns="http:\/\/www.w3.org\/2000\/svg" viewBox="0 0 \d+ \d+">/);
    expect(setup.text).toContain('autocomplete="one-time-code"');

    const wrong = await b.post("/account/two-factor/confirm", { code: "000000" });
    expect(wrong.status).toBe(422);
    expect(wrong.text).toMatch(/id="code-error" class="error">That code is not right/);
    const empty = await b.post("/account/two-factor/confirm", { code: "" });
    expect(empty.status).toBe(422);
    expect(empty.text).toContain("Enter the code from your authenticator app.");
    expect((await t.db.user.findUniqueOrThrow({ where: { id: user.id } })).totpEnabledAt).toBeNull();

    const done = await b.post("/account/two-factor/confirm", { code: codeOf(row.totpPendingSecret!) });
    expect(done.status).toBe(200);
    const codes = [...done.text.matchAll(/<code>([a-z0-9]{5}-[a-z0-9]{5})<\/code>/g)].map((m) => m[1]);
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    const on = await t.db.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(on.totpSecret).toBe(row.totpPendingSecret);
    expect(on.totpPendingSecret).toBeNull();
    expect(on.totpEnabledAt).not.toBeNull();
    // Stored hashed: no code is in the database as it was shown.
    const stored = await t.db.recoveryCode.findMany({ where: { userId: user.id } });
    expect(stored).toHaveLength(10);
    for (const code of codes) expect(stored.some((s) => s.hash.includes(code!.replace("-", "")))).toBe(false);
    expect((await t.db.personEvent.findMany({ where: { userId: user.id } })).map((e) => e.kind)).toEqual(["2fa_on"]);
    // Shown once: the page now says it is on, with the count of codes left, and no code.
    const after = await b.get("/account/two-factor");
    expect(after.text).toContain("Two-step sign-in is on.");
    expect(after.text).toContain("10 recovery codes left.");
    expect(after.text).not.toContain(codes[0]);
    expect((await b.get("/account")).text).toContain('href="/account/two-factor">Manage two-step sign-in');
  });

  it("with htmx, each step swaps the section in place", async () => {
    const user = await createUser(t.db);
    const b = await browserAs(t, user);
    const setup = await b.post("/account/two-factor/setup", {}, { htmx: "partial", target: "two-factor" });
    expect(setup.status).toBe(200);
    expect(setup.text.startsWith('<section class="narrow" id="two-factor">')).toBe(true);
    expect(setup.text).not.toContain("<html");
    const wrong = await b.post("/account/two-factor/confirm", { code: "12" }, { htmx: "partial" });
    expect(wrong.status).toBe(422);
    expect(wrong.text).toContain('id="code-error"');
  });

  it("is for signed-in people only", async () => {
    const res = await new Browser(t).get("/account/two-factor");
    expect(res.status).toBe(303);
    expect(res.location).toBe("/login?next=%2Faccount%2Ftwo-factor");
  });
});

describe("signing in with it on", () => {
  it("a right password leads to the second step, not to a session; the right code signs in", async () => {
    const user = await createUser(t.db, { role: "agent", name: "Second Step" });
    await withTwoFactor(user);
    const b = new Browser(t);
    const res = await b.post("/login", { email: user.email, password: PASSWORD, next: "/tickets/1" }, from());
    expect(res.status).toBe(303);
    expect(res.location).toBe("/login/two-factor");
    expect(b.signedIn()).toBe(false);
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith("hyperdesk_2fa="))!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/Path=\/login/);
    expect(cookie).toMatch(/Max-Age=300/);
    // Half signed in is not signed in.
    expect((await b.get("/queue")).location).toBe("/login?next=%2Fqueue");
    const page = await b.get("/login/two-factor");
    expect(page.status).toBe(200);
    expect(page.text).toContain("Second Step, one more step:");

    const wrong = await b.post("/login/two-factor", { code: "000000" }, from());
    expect(wrong.status).toBe(422);
    expect(wrong.text).toMatch(/id="code-error" class="error">That code is not right\. 4 more tries/);
    const empty = await b.post("/login/two-factor", { code: "" }, from());
    expect(empty.status).toBe(422);
    const ok = await b.post("/login/two-factor", { code: codeOf(await secretOf(user.id)) }, from());
    expect(ok.status).toBe(303);
    expect(ok.location).toBe("/tickets/1");
    expect(b.signedIn()).toBe(true);
    expect(b.cookies.has("hyperdesk_2fa")).toBe(false);
    expect(await t.db.pendingSignIn.count({ where: { userId: user.id } })).toBe(0);
  });

  it("with htmx the second step is a whole page load (HX-Redirect), both ways", async () => {
    const user = await createUser(t.db);
    await withTwoFactor(user);
    const b = new Browser(t);
    await b.get("/login");
    const res = await b.post("/login", { email: user.email, password: PASSWORD }, { ...from(), htmx: "full" });
    expect(res.status).toBe(204);
    expect(res.headers.get("HX-Redirect")).toBe("/login/two-factor");
    const ok = await b.post(
      "/login/two-factor",
      { code: codeOf(await secretOf(user.id)) },
      { ...from(), htmx: "partial" },
    );
    expect(ok.status).toBe(204);
    expect(ok.headers.get("HX-Redirect")).toBe("/tickets");
  });

  it("a code is taken once: the same code again is refused, the next one works", async () => {
    const user = await createUser(t.db);
    await withTwoFactor(user);
    const code = codeOf(await secretOf(user.id));
    const first = await halfSignedIn(user);
    expect((await first.post("/login/two-factor", { code }, from())).status).toBe(303);
    const second = await halfSignedIn(user);
    const replay = await second.post("/login/two-factor", { code }, from());
    expect(replay.status).toBe(422);
    expect(second.signedIn()).toBe(false);
    // An older code still inside the window is spent too (time steps only move forward).
    expect(
      (await second.post("/login/two-factor", { code: codeOf(await secretOf(user.id), -30) }, from())).status,
    ).toBe(422);
    t.clock.advance(30_000);
    expect((await second.post("/login/two-factor", { code: codeOf(await secretOf(user.id)) }, from())).status).toBe(
      303,
    );
  });

  it("of two requests with the same right code at once, one signs in", async () => {
    const user = await createUser(t.db);
    await withTwoFactor(user);
    const [a, b] = [await halfSignedIn(user), await halfSignedIn(user)];
    const code = codeOf(await secretOf(user.id));
    const answers = await Promise.all([a, b].map((x) => x.post("/login/two-factor", { code }, from())));
    expect(answers.map((r) => r.status).sort()).toEqual([303, 422]);
  });

  it("a recovery code signs in once, spaces and case aside, and says how many are left", async () => {
    const user = await createUser(t.db);
    const codes = await withTwoFactor(user);
    const b = await halfSignedIn(user);
    const typed = ` ${codes[3]!.toUpperCase().replace("-", " ")} `;
    const ok = await b.post("/login/two-factor", { code: typed }, from());
    expect(ok.status).toBe(303);
    expect(ok.location).toBe("/account/two-factor");
    expect((await b.get("/account/two-factor")).text).toContain("You signed in with a recovery code. You have 9 left.");
    const again = await halfSignedIn(user);
    expect((await again.post("/login/two-factor", { code: codes[3]! }, from())).status).toBe(422);
    const events = await t.db.personEvent.findMany({ where: { userId: user.id }, orderBy: { id: "asc" } });
    expect(events.map((e) => e.kind)).toEqual(["2fa_on", "recovery_used"]);
  });

  it("the half-signed state is this browser's, for a few minutes and a few wrong codes", async () => {
    const user = await createUser(t.db);
    await withTwoFactor(user);
    const b = await halfSignedIn(user);
    // Another browser, or a made-up cookie, has no second step to finish.
    for (const other of [
      new Browser(t),
      Object.assign(new Browser(t), { cookies: new Map([["hyperdesk_2fa", "x".repeat(43)]]) }),
    ]) {
      const res = await other.get("/login/two-factor");
      expect(res.status).toBe(303);
      expect(res.location).toBe("/login");
      const post = await other.post("/login/two-factor", { code: codeOf(await secretOf(user.id)) }, from());
      expect(post.location).toBe("/login");
      expect(other.signedIn()).toBe(false);
    }
    t.clock.advance((PENDING_MINUTES * 60 + 1) * 1000);
    const late = await b.post("/login/two-factor", { code: codeOf(await secretOf(user.id)) }, from());
    expect(late.status).toBe(303);
    expect(late.location).toBe("/login");
    expect(b.signedIn()).toBe(false);
    expect((await b.get("/login")).text).toContain("Signing in took too long or had too many wrong codes.");
    // Swept once it ran out.
    expect((await sweep(t.deps)).PendingSignIn).toBeGreaterThanOrEqual(1);

    const c = await halfSignedIn(user);
    for (let i = 1; i < PENDING_MAX_FAILURES; i++)
      expect((await c.post("/login/two-factor", { code: "000000" }, from())).status).toBe(422);
    const last = await c.post("/login/two-factor", { code: "000000" }, from());
    expect(last.location).toBe("/login");
    expect((await c.post("/login/two-factor", { code: codeOf(await secretOf(user.id)) }, from())).location).toBe(
      "/login",
    );
  });

  it("wrong codes for one account are throttled whoever sends them, with the sign-in throttle", async () => {
    const user = await createUser(t.db);
    await withTwoFactor(user);
    let answer = 0;
    for (let i = 0; i < 3 && answer !== 429; i++) {
      const b = await halfSignedIn(user);
      for (let j = 0; j < 3 && answer !== 429; j++)
        answer = (await b.post("/login/two-factor", { code: "000000" }, from())).status;
    }
    expect(answer).toBe(429);
    const b = await halfSignedIn(user);
    const refused = await b.post("/login/two-factor", { code: codeOf(await secretOf(user.id)) }, from());
    expect(refused.status).toBe(429);
    expect(refused.headers.get("Retry-After")).toMatch(/^\d+$/);
    t.clock.advance(t.config.loginWindowMs + 1000);
  });

  it("a sign-in link stands for the password only: it leads to the second step too", async () => {
    const user = await createUser(t.db, { email: `link${Math.random()}@example.com` });
    await withTwoFactor(user);
    const b = new Browser(t);
    await b.post("/login/link", { email: user.email }, from());
    const mail = await t.db.outboxMessage.findFirstOrThrow({ where: { toAddress: user.email, kind: "signin_link" } });
    const token = mail.text.match(/token=([\w-]+)/)![1]!;
    const open = await b.post("/login/link/open", { token }, from());
    expect(open.status).toBe(303);
    expect(open.location).toBe("/login/two-factor");
    expect(b.signedIn()).toBe(false);
    expect((await b.post("/login/two-factor", { code: codeOf(await secretOf(user.id)) }, from())).status).toBe(303);
    expect(b.signedIn()).toBe(true);
  });

  it("a password reset leaves the second factor on: the new password leads to the second step", async () => {
    const user = await createUser(t.db, { email: `reset${Math.random()}@example.com` });
    await withTwoFactor(user);
    const b = new Browser(t);
    await b.post("/password/forgot", { email: user.email }, from());
    const mail = await t.db.outboxMessage.findFirstOrThrow({ where: { toAddress: user.email, kind: "reset_link" } });
    const token = mail.text.match(/token=([\w-]+)/)![1]!;
    const reset = await b.post("/password/reset", { token, password: "a brand new kiosk phrase" }, from());
    expect(reset.status).toBe(303);
    expect(b.signedIn()).toBe(false);
    const login = await b.post("/login", { email: user.email, password: "a brand new kiosk phrase" }, from());
    expect(login.location).toBe("/login/two-factor");
    expect(b.signedIn()).toBe(false);
  });
});

describe("managing it", () => {
  it("new recovery codes and turning off each need a right code; the old codes stop", async () => {
    const user = await createUser(t.db);
    const old = await withTwoFactor(user);
    const b = await browserAs(t, user);
    const wrong = await b.post("/account/two-factor/recovery-codes", { code: "000000" }, from());
    expect(wrong.status).toBe(422);
    expect(wrong.text).toMatch(/id="code-error" class="error">That code is not right/);
    const fresh = await b.post("/account/two-factor/recovery-codes", { code: codeOf(await secretOf(user.id)) }, from());
    expect(fresh.status).toBe(200);
    const codes = [...fresh.text.matchAll(/<code>([a-z0-9]{5}-[a-z0-9]{5})<\/code>/g)].map((m) => m[1]!);
    expect(codes).toHaveLength(10);
    expect(codes).not.toContain(old[0]);
    const signIn = await halfSignedIn(user);
    expect((await signIn.post("/login/two-factor", { code: old[0]! }, from())).status).toBe(422);

    const noCode = await b.post("/account/two-factor/off", { off_code: "" }, from());
    expect(noCode.status).toBe(422);
    expect(noCode.text).toMatch(/id="off_code-error" class="error">Enter the code/);
    // A recovery code does too.
    const off = await b.post("/account/two-factor/off", { off_code: codes[0]! }, from());
    expect(off.status).toBe(303);
    expect((await b.get(off.location!)).text).toContain(
      "Two-step sign-in is off. Signing in takes your password alone.",
    );
    expect(await t.db.recoveryCode.count({ where: { userId: user.id } })).toBe(0);
    const plain = await new Browser(t).post("/login", { email: user.email, password: PASSWORD }, from());
    expect(plain.location).toBe("/tickets");
    const events = await t.db.personEvent.findMany({ where: { userId: user.id }, orderBy: { id: "asc" } });
    expect(events.map((e) => [e.kind, e.actorId])).toEqual([
      ["2fa_on", user.id],
      ["recovery_new", user.id],
      ["recovery_used", user.id],
      ["2fa_off", user.id],
    ]);
  });

  it("an admin resets a person's two-factor: recorded, mailed; never their own, never as an agent", async () => {
    const admin = await createUser(t.db, { role: "admin", name: "Ada Admin" });
    const agent = await createUser(t.db, { role: "agent" });
    const person = await createUser(t.db, { name: "Lost Phone", email: `lost${Math.random()}@example.com` });
    await withTwoFactor(person);
    await withTwoFactor(admin);
    const asAgent = await browserAs(t, agent);
    expect((await asAgent.post(`/admin/users/${person.id}/two-factor`)).status).toBe(403);
    const b = await browserAs(t, admin);
    const page = await b.get(`/admin/users/${person.id}`);
    expect(page.text).toContain("Two-step sign-in");
    expect(page.text).toContain(`href="/admin/users/${person.id}/two-factor"`);
    const confirm = await b.get(`/admin/users/${person.id}/two-factor`);
    expect(confirm.status).toBe(200);
    expect(confirm.text).toContain("Reset two-step sign-in for Lost Phone?");
    const self = await b.post(`/admin/users/${admin.id}/two-factor`);
    expect(self.status).toBe(409);
    const done = await b.post(`/admin/users/${person.id}/two-factor`);
    expect(done.status).toBe(303);
    const after = await b.get(done.location!);
    expect(after.text).toContain("Two-step sign-in for Lost Phone is off. They have been emailed.");
    expect(after.text).toContain("Two-step sign-in reset by an admin (Ada Admin)");
    const row = await t.db.user.findUniqueOrThrow({ where: { id: person.id } });
    expect([row.totpSecret, row.totpEnabledAt]).toEqual([null, null]);
    const mail = await t.db.outboxMessage.findFirstOrThrow({
      where: { toAddress: person.email, kind: "two_factor_reset" },
    });
    expect(mail.subject).toContain("Two-step sign-in turned off");
    expect(mail.text).toContain("/account/two-factor");
    const again = await b.post(`/admin/users/${person.id}/two-factor`);
    expect(again.status).toBe(409);
    expect((await b.post("/admin/users/999999/two-factor")).status).toBe(404);
  });
});

describe("required for staff", () => {
  it("an agent without it is sent to set it up before anything else; requesters are not", async () => {
    const admin = await createUser(t.db, { role: "admin" });
    // An admin without it cannot require it (it would send them to set-up mid-change).
    const refused = await (await browserAs(t, admin)).post("/admin/sign-in", { require: "staff" });
    expect(refused.status).toBe(409);
    expect(refused.text).toContain("Set up two-step sign-in for yourself first");
    await withTwoFactor(admin);
    const asAdmin = await browserAs(t, { ...admin, twoFactor: true });
    const asAgent = await browserAs(t, await createUser(t.db, { role: "agent" }));
    expect((await asAgent.post("/admin/sign-in", { require: "staff" })).status).toBe(403);
    const save = await asAdmin.post("/admin/sign-in", { require: "staff" });
    expect(save.status).toBe(303);
    expect((await asAdmin.get("/admin/sign-in")).text).toContain("Agents and admins must now use two-step sign-in.");

    const agent = await createUser(t.db, { role: "agent" });
    const b = await browserAs(t, agent);
    const queue = await b.get("/queue");
    expect(queue.status).toBe(303);
    expect(queue.location).toBe("/account/two-factor");
    await b.get("/account/two-factor"); // the one page with a form's token
    const post = await b.post("/tickets", { subject: "x", description: "y" });
    expect(post.location).toBe("/account/two-factor");
    const htmx = await b.get("/queue", { htmx: "partial" });
    expect(htmx.headers.get("HX-Redirect")).toBe("/account/two-factor");
    const page = await b.get("/account/two-factor");
    expect(page.status).toBe(200);
    expect(page.text).toContain("This desk asks agents and admins to use two-step sign-in. Set it up to go on.");
    const requester = await browserAs(t, await createUser(t.db));
    expect((await requester.get("/tickets")).status).toBe(200);

    await b.post("/account/two-factor/setup");
    const { totpPendingSecret } = await t.db.user.findUniqueOrThrow({ where: { id: agent.id } });
    expect((await b.post("/account/two-factor/confirm", { code: codeOf(totpPendingSecret!) })).status).toBe(200);
    expect((await b.get("/queue")).status).toBe(200);
    // While it is required, it cannot be turned off.
    t.clock.advance(30_000);
    const off = await b.post("/account/two-factor/off", { off_code: codeOf(totpPendingSecret!) }, from());
    expect(off.status).toBe(409);
    expect(off.text).toContain("so it cannot be turned off");

    await asAdmin.post("/admin/sign-in", {});
    const later = await browserAs(t, await createUser(t.db, { role: "agent" }));
    expect((await later.get("/queue")).status).toBe(200);
  });

  it("REQUIRE_2FA_FOR_STAFF requires it whatever the setting says", async () => {
    const u = await testApp({ REQUIRE_2FA_FOR_STAFF: "true" });
    try {
      const admin = await createUser(u.db, { role: "admin" });
      const b = new Browser(u);
      const { token } = await (await import("../../src/users/sessions.js")).startSession(u.deps, admin, {
        userAgent: "x",
        address: "127.0.0.1",
      });
      b.cookies.set("hyperdesk_session", token);
      expect((await b.get("/admin/users")).location).toBe("/account/two-factor");
      await b.get("/account/two-factor");
      const signOut = await b.post("/logout");
      expect(signOut.status).toBe(303);
    } finally {
      await u.close();
    }
  });
});
