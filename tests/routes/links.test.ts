import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MailWorker } from "../../src/mail/worker.js";
import { setPassword } from "../../src/users/passwords.js";
import { startSession } from "../../src/users/sessions.js";
import { loginUser } from "../../src/users/sign-in.js";
import { Browser, browserAs, createUser, PASSWORD, type TestApp, testApp } from "../helpers/app.js";

// Sign-in links and password resets by email: single use, 15 minutes, stored hashed, throttled
// per address and per client, the same answer for known and unknown addresses, every session
// ended by a reset.

let t: TestApp;
beforeAll(async () => {
  t = await testApp({ EMAIL_LINKS_PER_HOUR: "3", TRUST_PROXY: "1", PUBLIC_URL: "http://desk.example" });
});
afterAll(() => t.close());

let client = 0;
/** A browser from its own client address, so the per-client limit is only met where a test means to. */
const fresh = () => new Browser(t);
const from = () => ({ headers: { "X-Forwarded-For": `198.51.100.${++client}` } });

const linksTo = async (email: string, kind: string) =>
  (await t.db.outboxMessage.findMany({ where: { toAddress: email, kind }, orderBy: { id: "asc" } })).map(
    (m) => m.text.match(/token=([\w-]+)/)?.[1] ?? "",
  );

/** A page with what differs per browser and request (CSRF token, nonce) and the typed address taken out. */
const normalise = (html: string, email: string) =>
  html
    .replaceAll(email, "EMAIL")
    .replace(/name="_csrf" value="[^"]+"/g, "")
    .replace(/X-CSRF-Token&quot;:&quot;[^&]+/g, "")
    .replace(/nonce="[^"]+"/g, "");

describe("asking for a link", () => {
  it("the sign-in page offers both, carrying the typed address along", async () => {
    const page = await fresh().get("/login?email=ann%40example.com");
    expect(page.text).toContain('href="/login/link?email=ann%40example.com"');
    expect(page.text).toContain('href="/password/forgot?email=ann%40example.com"');
    const ask = await fresh().get("/login/link?email=ann%40example.com");
    expect(ask.status).toBe(200);
    expect(ask.text).toContain('value="ann@example.com"');
  });

  it("answers a known, an unknown and a disabled address alike, and mails only the known one", async () => {
    const known = await createUser(t.db, { email: "known@example.com", name: "Kim Known" });
    await createUser(t.db, { email: "off@example.com", disabled: true });
    const answers = [];
    for (const email of ["known@example.com", "nobody@example.com", "off@example.com"]) {
      const res = await fresh().post("/login/link", { email }, from());
      answers.push([res.status, normalise(res.text, email)]);
    }
    expect(answers[0]![0]).toBe(200);
    expect(answers[1]).toEqual(answers[0]);
    expect(answers[2]).toEqual(answers[0]);
    expect(answers[0]![1]).toContain("Check your email");
    const rows = await t.db.outboxMessage.findMany({ where: { kind: "signin_link" } });
    expect(rows.map((r) => r.toAddress)).toEqual(["known@example.com"]);
    expect(rows[0]!.text).toContain("Hello Kim Known");
    expect(rows[0]!.text).toMatch(/http:\/\/desk\.example\/login\/link\/open\?token=[\w-]{43}\n/);
    // Only the hash is stored.
    const [token] = await linksTo(known.email, "signin_link");
    const stored = await t.db.linkToken.findMany({ where: { userId: known.id } });
    expect(stored).toHaveLength(1);
    expect(stored[0]!.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(stored)).not.toContain(token);
  });

  it("a badly typed address is 422 with the message next to the field; htmx gets the form alone", async () => {
    const res = await fresh().post("/password/forgot", { email: "not an address" });
    expect(res.status).toBe(422);
    expect(res.text).toContain("Enter an email address like name@example.com.");
    expect(res.text).toContain('value="not an address"');
    const partial = await fresh().post("/password/forgot", { email: "" }, { htmx: "partial" });
    expect(partial.status).toBe(422);
    expect(partial.text).not.toContain("<html");
    expect(partial.text).toContain('id="ask-reset"');
  });

  it("throttles per address and per client, known or not, with the same answer", async () => {
    for (const email of ["known2@example.com", "unknown2@example.com"]) {
      if (email.startsWith("known")) await createUser(t.db, { email });
      const statuses = [];
      for (let i = 0; i < 4; i++) statuses.push((await fresh().post("/login/link", { email }, from())).status);
      expect(statuses).toEqual([200, 200, 200, 429]);
    }
    expect(await t.db.outboxMessage.count({ where: { toAddress: "known2@example.com" } })).toBe(3);
    // One client asking for many addresses: 4 x 3 per hour.
    const headers = { "X-Forwarded-For": "203.0.113.50" };
    const statuses = [];
    for (let i = 0; i < 13; i++)
      statuses.push((await fresh().post("/password/forgot", { email: `many${i}@example.com` }, { headers })).status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(12);
    expect(statuses.at(-1)).toBe(429);
    // An hour later the address may ask again.
    t.clock.advance(61 * 60_000);
    expect((await fresh().post("/password/forgot", { email: "many0@example.com" }, { headers })).status).toBe(200);
  });
});

describe("a sign-in link", () => {
  it("opens a page that asks, signs in once on the click, and is dead afterwards", async () => {
    const user = await createUser(t.db, { email: "link@example.com", name: "Lee Link" });
    await fresh().post("/login/link", { email: user.email }, from());
    const [token] = await linksTo(user.email, "signin_link");
    const b = fresh();
    const page = await b.get(`/login/link/open?token=${token}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain("Sign in as Lee Link?");
    // Opening it again (a mail scanner, a second look) uses nothing up.
    expect((await fresh().get(`/login/link/open?token=${token}`)).status).toBe(200);
    const signedIn = await b.post("/login/link/open", { token: token! });
    expect(signedIn.status).toBe(303);
    expect(signedIn.location).toBe("/tickets");
    expect(b.signedIn()).toBe(true);
    expect((await b.get("/account")).text).toContain("link@example.com");
    const again = await fresh().post("/login/link/open", { token: token! });
    expect(again.status).toBe(410);
    expect(again.text).toContain("This link no longer works");
    expect((await fresh().get(`/login/link/open?token=${token}`)).status).toBe(410);
  });

  it("expires after 15 minutes (fake clock)", async () => {
    const user = await createUser(t.db, { email: "late@example.com" });
    await fresh().post("/login/link", { email: user.email }, from());
    const [token] = await linksTo(user.email, "signin_link");
    t.clock.advance(14 * 60_000);
    expect((await fresh().get(`/login/link/open?token=${token}`)).status).toBe(200);
    t.clock.advance(61_000);
    expect((await fresh().post("/login/link/open", { token: token! })).status).toBe(410);
  });

  it("two clicks at once sign in once", async () => {
    const user = await createUser(t.db, { email: "twice@example.com" });
    await fresh().post("/login/link", { email: user.email }, from());
    const [token] = await linksTo(user.email, "signin_link");
    const a = fresh();
    const b = fresh();
    await Promise.all([a.get("/login"), b.get("/login")]);
    const statuses = (
      await Promise.all([a.post("/login/link/open", { token: token! }), b.post("/login/link/open", { token: token! })])
    ).map((r) => r.status);
    expect(statuses.sort()).toEqual([303, 410]);
  });

  it("a wrong, malformed or reset token does not sign in; the person signed in on that browser is signed out first", async () => {
    for (const token of ["x", "A".repeat(43), "", "../../etc/passwd", "A".repeat(500)])
      expect((await fresh().post("/login/link/open", { token })).status).toBe(410);
    const user = await createUser(t.db, { email: "purpose@example.com" });
    await fresh().post("/password/forgot", { email: user.email }, from());
    const [resetToken] = await linksTo(user.email, "reset_link");
    expect((await fresh().post("/login/link/open", { token: resetToken! })).status).toBe(410);

    const someoneElse = await createUser(t.db);
    const kiosk = await browserAs(t, someoneElse);
    const before = await t.db.session.findFirstOrThrow({ where: { userId: someoneElse.id } });
    await fresh().post("/login/link", { email: user.email }, from());
    const [token] = await linksTo(user.email, "signin_link");
    await kiosk.get("/account");
    expect((await kiosk.post("/login/link/open", { token: token! })).status).toBe(303);
    expect(await t.db.session.findUnique({ where: { id: before.id } })).toBeNull();
  });
});

describe("a password reset", () => {
  it("sets a new password from the link and ends every session of the account", async () => {
    const user = await createUser(t.db, { email: "reset@example.com", name: "Rae Reset" });
    const meta = { userAgent: "test", address: "127.0.0.1" };
    await startSession(t.deps, user, meta);
    const phone = await browserAs(t, user);
    await fresh().post("/password/forgot", { email: user.email }, from());
    await fresh().post("/password/forgot", { email: user.email }, from());
    const [first, second] = await linksTo(user.email, "reset_link");

    const b = fresh();
    const form = await b.get(`/password/reset?token=${second}`);
    expect(form.status).toBe(200);
    expect(form.text).toContain("Choose a new password");
    expect(form.text).toContain("For Rae Reset.");

    const weak = await b.post("/password/reset", { token: second!, password: "password" });
    expect(weak.status).toBe(422);
    expect(weak.text).toContain(`name="token" value="${second}"`);
    expect(weak.text).toContain('class="error-summary"');

    const saved = await b.post("/password/reset", { token: second!, password: "a brand new kiosk phrase" });
    expect(saved.status).toBe(303);
    expect(saved.location).toBe("/login?email=reset%40example.com&reset=");
    expect((await b.get(saved.location!)).text).toContain("Your password is changed");

    expect(await t.db.session.count({ where: { userId: user.id, revokedAt: null } })).toBe(0);
    expect((await phone.get("/tickets")).status).toBe(303);
    expect((await loginUser(t.deps, { email: user.email, password: PASSWORD }, meta)).ok).toBe(false);
    expect((await loginUser(t.deps, { email: user.email, password: "a brand new kiosk phrase" }, meta)).ok).toBe(true);
    // The link is used up, and so is the older one sent before it.
    expect((await fresh().post("/password/reset", { token: second!, password: "another long phrase" })).status).toBe(
      410,
    );
    expect((await fresh().get(`/password/reset?token=${first}`)).status).toBe(410);
  });

  it("an account without a password (made from an email) chooses its first one through a link", async () => {
    const user = await t.db.user.create({ data: { email: "nopass@example.com", name: "No Pass", passwordHash: "" } });
    const b = await browserAs(t, { id: user.id, email: user.email, name: user.name, role: "requester" });
    const account = await b.get("/account");
    expect(account.text).toContain("Email me a link to choose a password");
    expect(account.text).not.toContain('name="current_password"');
    const asked = await b.post("/password/forgot", { email: user.email }, from());
    expect(asked.text).toContain("Check your email");
    const [token] = await linksTo(user.email, "reset_link");
    expect((await fresh().post("/password/reset", { token: token!, password: "my first real password" })).status).toBe(
      303,
    );
    const meta = { userAgent: "test", address: "127.0.0.1" };
    expect((await loginUser(t.deps, { email: user.email, password: "my first real password" }, meta)).ok).toBe(true);
  });

  it("a password changed some other way ends the reset links already sent", async () => {
    const user = await createUser(t.db, { email: "changed@example.com" });
    await fresh().post("/password/forgot", { email: user.email }, from());
    const [token] = await linksTo(user.email, "reset_link");
    await setPassword(t.deps, user.id, "changed on the account page");
    expect((await fresh().get(`/password/reset?token=${token}`)).status).toBe(410);
  });

  it("a sent link is not kept in the outbox; a kept one (no SMTP server) stays readable", async () => {
    const user = await createUser(t.db, { email: "secret@example.com" });
    await fresh().post("/password/forgot", { email: user.email }, from());
    await new MailWorker(t.deps, async () => {}).runOnce();
    const sent = await t.db.outboxMessage.findFirstOrThrow({ where: { toAddress: user.email } });
    expect(sent.status).toBe("sent");
    expect(sent.text).not.toContain("token=");
    expect(sent.html).not.toContain("token=");
    await fresh().post("/login/link", { email: user.email }, from());
    await new MailWorker(t.deps, null).runOnce();
    const kept = await t.db.outboxMessage.findFirstOrThrow({ where: { toAddress: user.email, kind: "signin_link" } });
    expect(kept.status).toBe("kept");
    expect(kept.text).toContain("token=");
  });
});
