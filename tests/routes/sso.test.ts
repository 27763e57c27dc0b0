import { Secret, TOTP } from "otpauth";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Browser, browserAs, createUser, PASSWORD, type TestApp, testApp } from "../helpers/app.js";
import { startProvider, type TestProvider, throughProvider } from "../helpers/oidc.js";

// Single sign-on against a real OpenID provider (oidc-provider) started here: sign-in, people made
// or matched, first-time linking only after a sign-in here, refused unverified email, a wrong
// state, a replayed code, an expired ID token, role mapping, the desk's second step or the
// provider's, RP-initiated sign-out, and the admin page that adds providers.

const DESK = "http://desk.test";
let t: TestApp;
let idp: TestProvider;

beforeAll(async () => {
  idp = await startProvider(DESK, ["corp", "other"], { idTokenSeconds: 60 });
  t = await testApp({
    PUBLIC_URL: DESK,
    OIDC_ALLOW_HTTP: "true",
    OIDC_ISSUER: idp.issuer,
    OIDC_CLIENT_ID: idp.clientId,
    OIDC_CLIENT_SECRET: idp.clientSecret,
    OIDC_SLUG: "corp",
    OIDC_NAME: "City Library",
    OIDC_CREATE_PEOPLE: "true",
    OIDC_AGENT_CLAIM: "groups",
    OIDC_AGENT_VALUE: "helpdesk-agents",
    OIDC_TRUST_MFA: "true",
    LOGIN_FAILURE_DELAY_MS: "0",
  });
  // The provider signs its tokens by the real clock: the desk's starts there.
  t.clock.t = Date.now();
}, 60_000);
afterAll(async () => {
  await t.close();
  await idp.close();
});

let n = 0;
/** An account at the provider; its id. */
function account(fields: Parameters<TestProvider["accounts"]["set"]>[1]) {
  const id = `acct-${++n}`;
  idp.accounts.set(id, fields);
  return id;
}

/** From the desk's button through the provider and back: the desk's answer to the callback. */
async function ssoSignIn(b: Browser, accountId: string, slug = "corp", query = "") {
  idp.next.account = accountId;
  const start = await b.get(`/login/sso/${slug}${query}`);
  expect(start.status).toBe(303);
  expect(start.location!.startsWith(`${idp.issuer}/auth?`)).toBe(true);
  const back = await throughProvider(start.location!, DESK);
  return { answer: await b.get(back.slice(DESK.length)), callback: back.slice(DESK.length) };
}

describe("signing in with a provider", () => {
  it("the sign-in page has a plain link per provider, carrying where to go next", async () => {
    const page = await new Browser(t).get("/login?next=%2Ftickets%2F5");
    expect(page.text).toContain(
      '<a class="button secondary" href="/login/sso/corp?next=%2Ftickets%2F5" data-hx-boost="false">Sign in with City Library</a>',
    );
    expect((await new Browser(t).get("/login/sso/nobody")).status).toBe(404);
  });

  it("sends PKCE, state and nonce, and makes a requester of someone new", async () => {
    const id = account({ email: "New.Person@Example.com", email_verified: true, name: "Nia Newperson" });
    const b = new Browser(t);
    idp.next.account = id;
    const start = await b.get("/login/sso/corp?next=%2Ftickets%2Fnew");
    const url = new URL(start.location!);
    expect(url.searchParams.get("code_challenge_method")).toBe("S256");
    expect(url.searchParams.get("code_challenge")).toMatch(/^[\w-]{43}$/);
    expect(url.searchParams.get("state")).toBeTruthy();
    expect(url.searchParams.get("nonce")).toBeTruthy();
    expect(url.searchParams.get("redirect_uri")).toBe(`${DESK}/login/sso/corp/callback`);
    const cookie = start.headers.getSetCookie().find((c) => c.startsWith("hyperdesk_oidc="))!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/Path=\/login\/sso/);
    const back = await throughProvider(start.location!, DESK);
    const done = await b.get(back.slice(DESK.length));
    expect(done.status).toBe(303);
    expect(done.location).toBe("/tickets/new");
    expect(b.signedIn()).toBe(true);
    const user = await t.db.user.findUniqueOrThrow({ where: { email: "new.person@example.com" } });
    expect([user.name, user.role, user.passwordHash]).toEqual(["Nia Newperson", "requester", ""]);
    expect(user.emailConfirmedAt).not.toBeNull();
    expect(await t.db.ssoIdentity.count({ where: { userId: user.id, provider: "corp", subject: id } })).toBe(1);
    // The next time, the same person (by subject), not a second account.
    const again = new Browser(t);
    expect((await ssoSignIn(again, id)).answer.location).toBe("/tickets");
    expect(await t.db.user.count({ where: { email: "new.person@example.com" } })).toBe(1);
  });

  it("the directory's group makes an agent, at first sign-in and later", async () => {
    const id = account({
      email: `agent-${n}@example.com`,
      email_verified: true,
      name: "Gil Group",
      groups: ["staff", "helpdesk-agents"],
    });
    const b = new Browser(t);
    const { answer } = await ssoSignIn(b, id);
    expect(answer.location).toBe("/queue?status=active");
    const email = `later-${n}@example.com`;
    const later = account({ email, email_verified: true, name: "Lee Later" });
    await ssoSignIn(new Browser(t), later);
    expect((await t.db.user.findUniqueOrThrow({ where: { email } })).role).toBe("requester");
    idp.accounts.set(later, { ...idp.accounts.get(later), groups: ["helpdesk-agents"] });
    await ssoSignIn(new Browser(t), later);
    expect((await t.db.user.findUniqueOrThrow({ where: { email } })).role).toBe("agent");
  });

  it("an existing account is linked only after its person signs in here once, in the same browser", async () => {
    const user = await createUser(t.db, { email: `kim${n}@example.com`, name: "Kim Existing" });
    const id = account({ email: user.email.toUpperCase(), email_verified: true, name: "Kim at the provider" });
    const b = new Browser(t);
    const { answer } = await ssoSignIn(b, id);
    expect(answer.status).toBe(303);
    expect(answer.location).toBe(`/login?${new URLSearchParams({ email: user.email, link: "corp" })}`);
    expect(b.signedIn()).toBe(false);
    expect(await t.db.ssoIdentity.count({ where: { userId: user.id } })).toBe(0);
    const page = await b.get(answer.location!);
    expect(page.text).toContain("Your City Library account has the address of an account here.");
    // Someone else signing in in this browser links nothing to themselves.
    const other = await createUser(t.db);
    const stranger = await b.post("/login", { email: other.email, password: PASSWORD });
    expect(stranger.status).toBe(303);
    expect(await t.db.ssoIdentity.count({ where: { subject: id } })).toBe(0);
    // The person themselves (a fresh try: the first link went with the stranger's sign-in).
    const mine = new Browser(t);
    await ssoSignIn(mine, id);
    const signIn = await mine.post("/login", { email: user.email, password: PASSWORD });
    expect(signIn.status).toBe(303);
    expect((await mine.get("/tickets")).text).toContain("Your City Library account is connected");
    expect(await t.db.ssoIdentity.count({ where: { userId: user.id, subject: id } })).toBe(1);
    const next = new Browser(t);
    expect((await ssoSignIn(next, id)).answer.location).toBe("/tickets");
    expect(next.signedIn()).toBe(true);
  });

  it("an unverified email is never matched to an account, nor made into one", async () => {
    const user = await createUser(t.db, { email: `victim${n}@example.com` });
    const id = account({ email: user.email, email_verified: false });
    const b = new Browser(t);
    const { answer } = await ssoSignIn(b, id);
    expect(answer.status).toBe(403);
    expect(answer.text).toContain("City Library has not confirmed your email address");
    expect(b.signedIn()).toBe(false);
    expect(b.cookies.has("hyperdesk_sso_link")).toBe(false);
    const freshEmail = `unverified-${n}@example.com`;
    const fresh = account({ email: freshEmail, email_verified: false });
    expect((await ssoSignIn(new Browser(t), fresh)).answer.status).toBe(403);
    expect(await t.db.user.count({ where: { email: freshEmail } })).toBe(0);
  });

  it("refuses a wrong state, a replayed code and an expired ID token", async () => {
    const id = account({ email: `careful${n}@example.com`, email_verified: true, name: "Cary Careful" });
    // A wrong state: the callback's state is not the one this browser's sign-in sent.
    const b = new Browser(t);
    idp.next.account = id;
    const start = await b.get("/login/sso/corp");
    const back = new URL(await throughProvider(start.location!, DESK));
    back.searchParams.set("state", "not-the-state");
    const wrong = await b.get(back.pathname + back.search);
    expect(wrong.status).toBe(400);
    expect(JSON.stringify(t.logs.at(-1))).toMatch(/state/);
    expect(wrong.text).toContain("City Library did not confirm who you are.");
    expect(b.signedIn()).toBe(false);
    // A replayed code: used once, then the same callback again, with and without a sign-in under way.
    const first = new Browser(t);
    const { answer, callback } = await ssoSignIn(first, id);
    expect(answer.status).toBe(303);
    const replay = new Browser(t);
    expect((await replay.get(callback)).status).toBe(400);
    await replay.get("/login/sso/corp");
    const replayed = await replay.get(callback);
    expect(replayed.status).toBe(400);
    expect(replay.signedIn()).toBe(false);
    // An ID token that expired (60 s) before the desk took it.
    const late = new Browser(t);
    idp.next.account = id;
    const lateStart = await late.get("/login/sso/corp");
    const lateBack = await throughProvider(lateStart.location!, DESK);
    t.clock.advance(5 * 60_000);
    try {
      const expired = await late.get(lateBack.slice(DESK.length));
      expect(expired.status).toBe(400);
      expect(late.signedIn()).toBe(false);
      // Refused for its time, not for anything else (openid-client's words, in the log).
      expect(JSON.stringify(t.logs.at(-1))).toMatch(/OAUTH_JWT_TIMESTAMP_CHECK_FAILED.*expiration is past/);
    } finally {
      t.clock.t = Date.now();
    }
  });

  it("a sign-in that took too long, or was turned back at the provider, says so", async () => {
    const b = new Browser(t);
    await b.get("/login/sso/corp");
    t.clock.advance(11 * 60_000);
    try {
      const answer = await b.get("/login/sso/corp/callback?code=x&state=y");
      expect(answer.status).toBe(400);
      expect(answer.text).toContain("This sign-in took too long or was already used.");
    } finally {
      t.clock.t = Date.now();
    }
    const cancelled = await new Browser(t).get("/login/sso/corp/callback?error=access_denied&state=y");
    expect(cancelled.status).toBe(403);
    expect(cancelled.text).toContain("Signing in with City Library was cancelled.");
  });

  it("a disabled account is refused", async () => {
    const email = `gone-${n}@example.com`;
    const id = account({ email, email_verified: true, name: "Gone Soon" });
    await ssoSignIn(new Browser(t), id);
    await t.db.user.update({ where: { email }, data: { disabledAt: new Date() } });
    const b = new Browser(t);
    const { answer } = await ssoSignIn(b, id);
    expect(answer.status).toBe(403);
    expect(b.signedIn()).toBe(false);
  });

  it("the desk's second step, unless the provider says it asked for one (and it is trusted)", async () => {
    const secret = new Secret({ size: 20 }).base32;
    const email = `twofa-${n}@example.com`;
    const id = account({ email, email_verified: true, name: "Tess Two", amr: ["pwd"] });
    await ssoSignIn(new Browser(t), id);
    await t.db.user.update({
      where: { email },
      data: { totpSecret: secret, totpEnabledAt: new Date() },
    });
    const b = new Browser(t);
    const { answer } = await ssoSignIn(b, id);
    expect(answer.location).toBe("/login/two-factor");
    expect(b.signedIn()).toBe(false);
    const code = TOTP.generate({ secret: Secret.fromBase32(secret), timestamp: t.clock.t });
    expect((await b.post("/login/two-factor", { code })).status).toBe(303);
    expect(b.signedIn()).toBe(true);
    idp.accounts.set(id, { ...idp.accounts.get(id), amr: ["pwd", "otp"] });
    const c = new Browser(t);
    expect((await ssoSignIn(c, id)).answer.location).toBe("/tickets");
    expect(c.signedIn()).toBe(true);
  });

  it("signing out ends the session here and sends the browser to the provider's sign-out", async () => {
    const email = `bye-${n}@example.com`;
    const id = account({ email, email_verified: true, name: "Bea Bye" });
    const b = new Browser(t);
    await ssoSignIn(b, id);
    await b.get("/tickets");
    const out = await b.post("/logout");
    expect(out.status).toBe(200);
    const refresh = out.text.match(/<meta http-equiv="refresh" content="0; url=([^"]+)"/)![1]!.replaceAll("&amp;", "&");
    const url = new URL(refresh);
    expect(url.origin + url.pathname).toBe(`${idp.issuer}/session/end`);
    expect(url.searchParams.get("post_logout_redirect_uri")).toBe(`${DESK}/login?signed-out`);
    expect(url.searchParams.get("id_token_hint")).toMatch(/^ey/);
    expect(out.text).toContain(`href="${refresh.replaceAll("&", "&amp;")}"`);
    expect((await fetch(refresh)).status).toBe(200);
    expect(await t.db.session.count({ where: { user: { email }, revokedAt: null } })).toBe(0);
    // With htmx: HX-Redirect there.
    const h = new Browser(t);
    await ssoSignIn(h, id);
    await h.get("/tickets");
    const viaHtmx = await h.post("/logout", {}, { htmx: "full" });
    expect(viaHtmx.headers.get("HX-Redirect")).toMatch(new RegExp(`^${idp.issuer}/session/end\\?`));
    // A password session signs out here only.
    const plain = await browserAs(t, await createUser(t.db));
    await plain.get("/tickets");
    expect((await plain.post("/logout")).location).toBe("/login?signed-out");
  });
});

describe("providers on the admin page", () => {
  it("an admin adds one (its configuration read first), sees what to register, and removes it", async () => {
    const admin = await createUser(t.db, { role: "admin" });
    const b = await browserAs(t, admin);
    const page = await b.get("/admin/sign-in");
    expect(page.text).toContain("City Library");
    expect(page.text).toContain(`${DESK}/login/sso/corp/callback`);
    expect(page.text).toContain("Set by OIDC_ISSUER");
    const fields = {
      name: "Second Directory",
      slug: "other",
      issuer: idp.issuer,
      client_id: idp.clientId,
      client_secret: idp.clientSecret,
      options: "create_people",
    };
    const empty = await b.post("/admin/sign-in/providers", {});
    expect(empty.status).toBe(422);
    expect(empty.text).toContain('id="name-error"');
    expect(empty.text).toContain('id="client_secret-error"');
    const badSlug = await b.post("/admin/sign-in/providers", { ...fields, slug: "Not OK!" });
    expect(badSlug.text).toMatch(/id="slug-error" class="error">Use 1 to 40 lower-case letters/);
    const taken = await b.post("/admin/sign-in/providers", { ...fields, slug: "corp" });
    expect(taken.text).toMatch(/id="slug-error" class="error">Another provider has this short name/);
    const unreachable = await b.post("/admin/sign-in/providers", { ...fields, issuer: "http://127.0.0.1:9" });
    expect(unreachable.status).toBe(422);
    expect(unreachable.text).toMatch(/id="issuer-error" class="error">Its OpenID configuration could not be read/);
    // What was typed stays, except the secret.
    expect(unreachable.text).toContain('value="Second Directory"');
    expect(unreachable.text).not.toContain(idp.clientSecret);
    const half = await b.post("/admin/sign-in/providers", { ...fields, agent_claim: "groups" });
    expect(half.text).toMatch(/id="agent_value-error"/);
    const added = await b.post("/admin/sign-in/providers", fields);
    expect(added.status).toBe(303);
    expect((await b.get("/admin/sign-in")).text).toContain("Second Directory added");
    expect((await new Browser(t).get("/login")).text).toContain("Sign in with Second Directory");
    const id = account({ email: `second${n}@example.com`, email_verified: true, name: "Sam Second" });
    const s = new Browser(t);
    expect((await ssoSignIn(s, id, "other")).answer.location).toBe("/tickets");
    const row = await t.db.ssoProvider.findUniqueOrThrow({ where: { slug: "other" } });
    const agent = await browserAs(t, await createUser(t.db, { role: "agent" }));
    expect((await agent.get("/admin/sign-in")).status).toBe(403);
    expect((await agent.post(`/admin/sign-in/providers/${row.id}/delete`)).status).toBe(403);
    const removed = await b.post(`/admin/sign-in/providers/${row.id}/delete`, {}, { htmx: "partial" });
    expect(removed.status).toBe(200);
    expect(removed.text).toContain("Second Directory removed.");
    expect((await new Browser(t).get("/login")).text).not.toContain("Sign in with Second Directory");
    expect((await new Browser(t).get("/login/sso/other")).status).toBe(404);
    expect((await b.post("/admin/sign-in/providers/999999/delete")).status).toBe(404);
  });

  it("an http:// issuer is refused unless OIDC_ALLOW_HTTP is set", async () => {
    const strict = await testApp({});
    try {
      const b = await browserAs(strict, await createUser(strict.db, { role: "admin" }));
      const res = await b.post("/admin/sign-in/providers", {
        name: "Lab",
        slug: "lab",
        issuer: idp.issuer,
        client_id: "x",
        client_secret: "y",
      });
      expect(res.status).toBe(422);
      expect(res.text).toMatch(/id="issuer-error" class="error">The issuer must use https:\/\//);
    } finally {
      await strict.close();
    }
  });

  it("a provider that cannot be reached when someone signs in: 502 and the other ways in", async () => {
    await t.db.ssoProvider.create({
      data: { slug: "down", name: "Down Directory", issuer: "http://127.0.0.1:9", clientId: "x", clientSecret: "y" },
    });
    const res = await new Browser(t).get("/login/sso/down");
    expect(res.status).toBe(502);
    expect(res.text).toContain("Down Directory cannot be reached right now.");
    await t.db.ssoProvider.delete({ where: { slug: "down" } });
  });
});
