import { SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CurrentUser } from "../../src/env.js";
import { failureDelayMs } from "../../src/lib/auth/session.js";
import { disablePerson } from "../../src/users/admins.js";
import { Browser, browserAs, createUser, PASSWORD, SECRET, type TestApp, testApp } from "../helpers/app.js";

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(() => t.close());

const register = (b: Browser, fields: Record<string, string>) =>
  b.post("/register", {
    name: "Ann",
    email: `ann${Math.random()}@example.com`,
    password: "a long kiosk passphrase",
    ...fields,
  });

describe("register, sign in, sign out", () => {
  it("registers a requester, signs in, and refuses the old cookie after sign-out", async () => {
    const b = new Browser(t);
    const res = await register(b, { email: "  Ann.Kiosk@Example.COM " });
    expect(res.status).toBe(303);
    // Registering signs nobody in (a taken address must get the same answer): sign in next.
    expect(res.location).toBe("/login?email=ann.kiosk%40example.com");
    expect((await b.get(res.location!)).text).toContain('value="ann.kiosk@example.com"');
    const signedIn = await b.post("/login", { email: "ann.kiosk@example.com", password: "a long kiosk passphrase" });
    expect(signedIn.location).toBe("/tickets");
    const user = await t.db.user.findUniqueOrThrow({ where: { email: "ann.kiosk@example.com" } });
    expect(user.role).toBe("requester");
    expect(user.passwordHash).toMatch(/^\$2[aby]\$12\$/);
    const page = await b.get("/tickets");
    expect(page.status).toBe(200);
    expect(page.headers.get("Cache-Control")).toBe("no-store");

    const oldCookie = b.cookieHeader();
    const out = await b.post("/logout");
    expect(out.status).toBe(303);
    expect(out.location).toBe("/login?signed-out");
    expect(out.headers.get("Clear-Site-Data")).toContain('"cookies"');
    const replay = await t.app.request("/tickets", { headers: { Cookie: oldCookie } });
    expect(replay.status).toBe(303);
    expect(replay.headers.get("Location")).toBe("http://localhost/login?next=%2Ftickets");
  });

  it("signing out after the session timed out clears the browser instead of refusing the form", async () => {
    const b = await browserAs(t, await createUser(t.db));
    await b.get("/account");
    t.clock.advance(t.config.sessionIdleMs + 60_000);
    const out = await b.post("/logout");
    expect(out.status).toBe(303);
    expect(out.location).toBe("/login?signed-out");
    expect(out.headers.get("Clear-Site-Data")).toContain('"cookies"');
    // With a live session a missing token is still refused.
    const live = await browserAs(t, await createUser(t.db));
    expect((await live.post("/logout", {}, { csrf: null })).status).toBe(403);
  });

  it("sets the session cookie HttpOnly, SameSite=Lax, Path=/", async () => {
    const b = new Browser(t);
    const user = await createUser(t.db);
    await b.get("/login");
    const res = await b.request("/login", {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Cookie: b.cookieHeader() },
      body: new URLSearchParams({ email: user.email, password: PASSWORD, _csrf: b.csrf! }).toString(),
    });
    expect(res.status).toBe(303);
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith("hyperdesk_session="))!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).toMatch(/Path=\//);
    expect(cookie).not.toMatch(/Domain/i);
  });

  it("over https the cookie is __Host- and Secure; in kiosk mode it has no expiry", async () => {
    const k = await testApp({ PUBLIC_URL: "https://help.example.com", KIOSK_MODE: "1" });
    try {
      const user = await createUser(k.db);
      const b = new Browser(k);
      await b.request("https://help.example.com/login");
      const res = await b.request("https://help.example.com/login", {
        method: "POST",
        headers: {
          "Content-Type": "application/x-www-form-urlencoded",
          Cookie: b.cookieHeader(),
          Origin: "https://help.example.com",
        },
        body: new URLSearchParams({ email: user.email, password: PASSWORD, _csrf: b.csrf! }).toString(),
      });
      expect(res.status).toBe(303);
      const cookie = res.headers.getSetCookie().find((c) => c.includes("hyperdesk_session="))!;
      expect(cookie).toMatch(/^__Host-hyperdesk_session=/);
      expect(cookie).toMatch(/Secure/);
      expect(cookie).not.toMatch(/Max-Age|Expires/i);
      expect(res.headers.get("Strict-Transport-Security")).toMatch(/max-age=\d+/);
      expect(k.config.sessionIdleMs).toBe(5 * 60_000);
    } finally {
      await k.close();
    }
  });

  it("signs in to `next` when it is a local path, and to /tickets otherwise", async () => {
    const user = await createUser(t.db);
    for (const [next, expected] of [
      ["/tickets/new", "/tickets/new"],
      ["//evil.example", "/tickets"],
      ["https://evil.example/x", "/tickets"],
      ["/\\evil.example", "/tickets"],
      ["javascript:alert(1)", "/tickets"],
      ["/\t/evil.example", "/tickets"],
      ["/tickets?q=caf\u00e9 au lait", "/tickets?q=caf%C3%A9%20au%20lait"],
      ["/tickets/\u20ac\u0001x", "/tickets/%E2%82%AC%01x"],
    ]) {
      const b = new Browser(t);
      const res = await b.post("/login", { email: user.email, password: PASSWORD, next: next! });
      expect(res.location, next).toBe(expected);
    }
  });

  it("sends signed-in people from /login and /register to their tickets", async () => {
    const b = await browserAs(t, await createUser(t.db));
    expect((await b.get("/login")).location).toBe("/tickets");
    expect((await b.get("/register")).location).toBe("/tickets");
  });

  it("answers an htmx partial request without a session with HX-Redirect", async () => {
    const res = await new Browser(t).get("/tickets?q=x", { htmx: "partial" });
    expect(res.status).toBe(204);
    expect(res.headers.get("HX-Redirect")).toBe("/login?next=%2Ftickets%3Fq%3Dx");
  });

  it("gives the same answer for an unknown email, a wrong password and a disabled account", async () => {
    const user = await createUser(t.db);
    const disabled = await createUser(t.db, { disabled: true });
    const answers = [];
    for (const [email, password] of [
      ["nobody@example.com", PASSWORD],
      [user.email, "wrong password!"],
      [disabled.email, PASSWORD],
    ]) {
      const b = new Browser(t);
      const started = performance.now();
      const res = await b.post("/login", { email: email!, password: password! });
      answers.push({
        status: res.status,
        // The typed address comes back (in the field, in the links to ask for an email link): the
        // same for each, so it is taken out with the per-request tokens.
        body: res.text
          .replace(/(value|nonce)="[^"]*"/g, "")
          .replace(/\?email=[^"]*/g, "")
          .replace(/X-CSRF-Token&quot;:&quot;[^&]*/g, ""),
        ms: performance.now() - started,
      });
    }
    expect(new Set(answers.map((a) => a.status))).toEqual(new Set([401]));
    expect(answers[0]!.body).toContain("Email or password is incorrect.");
    expect(answers[1]!.body).toBe(answers[2]!.body);
    // Each did one bcrypt comparison at cost 12 (well over 50 ms in bcryptjs).
    for (const a of answers) expect(a.ms).toBeGreaterThan(50);
  });
});

describe("registering on a phone: the password typed once, the address confirmed by a link", () => {
  it("mails a sign-in link that greets by address, and following it signs in and confirms the address", async () => {
    const b = new Browser(t);
    await b.get("/register");
    const res = await register(b, { name: "Mallory <b>Buy now</b>", email: "phone@example.com" });
    expect(res.status).toBe(303);
    const mail = await t.db.outboxMessage.findFirstOrThrow({ where: { toAddress: "phone@example.com" } });
    expect(mail.kind).toBe("signin_link");
    // The name typed is not sent to a mailbox that has not shown it is the registrant's.
    expect(mail.text).not.toContain("Mallory");
    expect(mail.text).toContain("Hello phone@example.com");
    const path = mail.text.match(/\/login\/link\/open\?token=\S+/)![0];
    // The link's page asks (a GET signs nobody in); its button signs in.
    const ask = await b.get(path);
    expect(ask.status).toBe(200);
    const token = decodeURIComponent(path.split("=")[1]!);
    const signedIn = await b.post("/login/link/open", { token });
    expect(signedIn.location).toBe("/tickets");
    expect((await b.get("/tickets")).status).toBe(200);
    const user = await t.db.user.findUniqueOrThrow({ where: { email: "phone@example.com" } });
    expect(user.emailConfirmedAt).not.toBeNull();
  });

  it("answers a taken address the same, and its owner gets a sign-in link, not the registrant's password", async () => {
    const owner = await createUser(t.db, { email: "taken-phone@example.com", name: "Owner" });
    const b = new Browser(t);
    await b.get("/register");
    const taken = await register(b, { email: "taken-phone@example.com" });
    const fresh = await register(new Browser(t), { email: "fresh-phone@example.com" });
    expect([taken.status, taken.location]).toEqual([303, "/login?email=taken-phone%40example.com"]);
    expect(fresh.status).toBe(303);
    const mails = await t.db.outboxMessage.findMany({
      where: { toAddress: { in: [owner.email, "fresh-phone@example.com"] } },
    });
    expect(mails.map((m) => m.kind).sort()).toEqual(["signin_link", "signin_link"]);
    // The owner's password is still theirs.
    const login = await new Browser(t).post("/login", { email: owner.email, password: PASSWORD });
    expect(login.location).toBe("/tickets");
  });

  it("until the address is confirmed, mail to the account holds the desk's words alone", async () => {
    const b = new Browser(t);
    await b.get("/register");
    await register(b, { email: "unsure@example.com", password: "a long kiosk passphrase" });
    expect((await b.post("/login", { email: "unsure@example.com", password: "a long kiosk passphrase" })).status).toBe(
      303,
    );
    await b.get("/tickets/new");
    const opened = await b.post("/tickets", {
      subject: "Cheap watches here",
      description: "Visit the shop at example.net for cheap watches.",
      priority: "Medium",
    });
    const id = Number(opened.location!.split("/").pop());
    const receipt = await t.db.outboxMessage.findFirstOrThrow({ where: { ticketId: id, kind: "receipt" } });
    expect(receipt.subject).toBe(`[#${id}] Your request at Hyperdesk`);
    for (const part of [receipt.subject, receipt.text, receipt.html])
      for (const theirs of ["watches", "example.net"]) expect(part).not.toContain(theirs);
    // A sign-in by link confirms the address; from then on mail quotes the ticket again.
    await t.db.user.update({ where: { email: "unsure@example.com" }, data: { emailConfirmedAt: new Date() } });
    const agent = await browserAs(t, await createUser(t.db, { role: "agent" }));
    await agent.get(`/tickets/${id}`);
    await agent.post(`/tickets/${id}/replies`, { body: "Closing as spam." });
    const reply = await t.db.outboxMessage.findFirstOrThrow({ where: { ticketId: id, kind: "reply" } });
    expect(reply.subject).toBe(`Re: [#${id}] Cheap watches here`);
  });
});

describe("form validation", () => {
  it("keeps the input and names each problem next to its field", async () => {
    const res = await register(new Browser(t), { name: "", email: "not-an-email", password: "short" });
    expect(res.status).toBe(422);
    expect(res.text).toContain('value="not-an-email"');
    expect(res.text).toContain('id="name-error"');
    expect(res.text).toContain('id="email-error"');
    expect(res.text).toContain("Use at least 8 characters.");
    expect(res.text).toMatch(/id="name"[^>]*aria-invalid="true"[^>]*aria-describedby="name-error"/);
    expect(res.text).toContain('class="error-summary"');
  });

  it("answers an htmx partial with the form alone", async () => {
    const res = await register(new Browser(t), { password: "short" })
      .then(() => new Browser(t))
      .then((b) => b.post("/register", { name: "A", email: "a@example.com", password: "x" }, { htmx: "partial" }));
    expect(res.status).toBe(422);
    expect(res.text).not.toContain("<html");
    expect(res.text).toContain('id="register"');
  });

  it("accepts 72 ASCII bytes, refuses 73, and counts multibyte characters in bytes", async () => {
    expect((await register(new Browser(t), { password: "a".repeat(30) + "b".repeat(42) })).status).toBe(303);
    const long = await register(new Browser(t), { password: "a".repeat(30) + "b".repeat(43) });
    expect(long.status).toBe(422);
    expect(long.text).toContain("at most 72 bytes");
    expect((await register(new Browser(t), { password: "é".repeat(36) })).status).toBe(303); // 72 bytes
    expect((await register(new Browser(t), { password: "é".repeat(37) })).status).toBe(422); // 74 bytes
    expect((await register(new Browser(t), { password: "🔒".repeat(19) })).status).toBe(422); // 76 bytes
  });

  it("refuses a common password and a taken email, and ignores a role field", async () => {
    const common = await register(new Browser(t), { password: "password1" });
    expect(common.status).toBe(422);
    expect(common.text).toContain("most common");
    const email = `taken${Date.now()}@example.com`;
    expect((await register(new Browser(t), { email, role: "admin" })).status).toBe(303);
    expect((await t.db.user.findUniqueOrThrow({ where: { email } })).role).toBe("requester");
    // A taken email is answered exactly like a new one: nothing tells that the account exists.
    const [fresh, again] = [new Browser(t), new Browser(t)];
    const first = await register(fresh, { email: `new${email}` });
    const taken = await register(again, { email: email.toUpperCase() });
    expect(taken.status).toBe(first.status);
    expect(taken.location).toBe(first.location!.replace("new", ""));
    expect(taken.text).toBe(first.text);
    expect(again.cookies.get("hyperdesk_flash")).toBe(fresh.cookies.get("hyperdesk_flash"));
    expect(again.signedIn() || fresh.signedIn()).toBe(false);
  });
});

describe("a NUL character in a password", () => {
  it("is refused with a message when choosing a password, never silently dropped", async () => {
    const b = new Browser(t);
    const res = await b.post("/register", {
      name: "Nul",
      email: "nul@example.com",
      password: "long enough\u0000secret",
    });
    expect(res.status).toBe(422);
    expect(res.text).toContain("invisible NUL character");
    expect(await t.db.user.count({ where: { email: "nul@example.com" } })).toBe(0);
  });

  it("does not match a stored password that lacks it", async () => {
    const user = await createUser(t.db);
    const res = await new Browser(t).post("/login", { email: user.email, password: `${PASSWORD}\u0000` });
    expect(res.status).toBe(401);
  });
});

describe("CSRF", () => {
  it("refuses a POST without the token, with a wrong one, or with another session's, and writes nothing", async () => {
    const a = await browserAs(t, await createUser(t.db));
    const other = await browserAs(t, await createUser(t.db));
    await other.get("/account");
    const before = await t.db.ticket.count();
    const form = { subject: "CSRF attempt", description: "This should never be saved.", priority: "Low" };
    expect((await a.post("/tickets", form, { csrf: null })).status).toBe(403);
    expect((await a.post("/tickets", form, { csrf: "x".repeat(43) })).status).toBe(403);
    expect((await a.post("/tickets", form, { csrf: other.csrf! })).status).toBe(403);
    expect(await t.db.ticket.count()).toBe(before);
    expect((await a.post("/tickets", form)).status).toBe(303);
  });

  it("refuses a cross-site Origin or Sec-Fetch-Site even with a valid token", async () => {
    const a = await browserAs(t, await createUser(t.db));
    const form = { subject: "Cross site", description: "This should never be saved.", priority: "Low" };
    expect((await a.post("/tickets", form, { headers: { Origin: "https://evil.example" } })).status).toBe(403);
    expect((await a.post("/tickets", form, { headers: { "Sec-Fetch-Site": "cross-site" } })).status).toBe(403);
    expect(
      (await a.post("/tickets", form, { headers: { "Sec-Fetch-Site": "same-origin", Origin: "http://localhost" } }))
        .status,
    ).toBe(303);
  });

  it("protects sign-in with a pre-session token and accepts the header htmx sends", async () => {
    const user = await createUser(t.db);
    const b = new Browser(t);
    expect((await b.post("/login", { email: user.email, password: PASSWORD }, { csrf: null })).status).toBe(403);
    await b.get("/login");
    const res = await b.post(
      "/login",
      { email: user.email, password: PASSWORD },
      { csrf: null, headers: { "X-CSRF-Token": b.csrf! }, htmx: "partial" },
    );
    expect(res.status).toBe(204);
    // A whole page load, not a swap: the person's language and direction come with it.
    expect(res.headers.get("HX-Redirect")).toBe("/tickets");
  });
});

describe("throttling", () => {
  it("refuses attempt N+1 on an account with 429 and lets it in after the window", async () => {
    const user = await createUser(t.db);
    for (let i = 0; i < t.config.loginMaxFailures; i++) {
      expect((await new Browser(t).post("/login", { email: user.email, password: "wrong password" })).status).toBe(401);
    }
    const refused = await new Browser(t).post("/login", { email: user.email, password: PASSWORD });
    expect(refused.status).toBe(429);
    expect(refused.text).toContain("Too many attempts");
    expect(Number(refused.headers.get("Retry-After"))).toBeGreaterThan(0);
    t.clock.advance(t.config.loginWindowMs + 1000);
    expect((await new Browser(t).post("/login", { email: user.email, password: PASSWORD })).status).toBe(303);
  });

  it("lets no more than N guesses through when they arrive all at once", async () => {
    const user = await createUser(t.db);
    const browsers = await Promise.all(
      Array.from({ length: 20 }, async () => {
        const b = new Browser(t);
        await b.get("/login");
        return b;
      }),
    );
    const answers = await Promise.all(
      browsers.map((b) => b.post("/login", { email: user.email, password: "a parallel guess" })),
    );
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s === 401).length, statuses.join(",")).toBeLessThanOrEqual(t.config.loginMaxFailures);
    expect(statuses.filter((s) => s !== 401).every((s) => s === 429)).toBe(true);
    // A right password after a burst waits for the window too, then works.
    expect((await new Browser(t).post("/login", { email: user.email, password: PASSWORD })).status).toBe(429);
    t.clock.advance(t.config.loginWindowMs + 1000);
    expect((await new Browser(t).post("/login", { email: user.email, password: PASSWORD })).status).toBe(303);
  });

  it("limits registrations from one address arriving all at once", async () => {
    const a = await testApp({ REGISTER_MAX_PER_HOUR: "3", TRUST_PROXY: "1" });
    try {
      const headers = { "X-Forwarded-For": "203.0.113.77" };
      const browsers = await Promise.all(
        Array.from({ length: 10 }, async () => {
          const b = new Browser(a);
          await b.get("/register");
          return b;
        }),
      );
      const answers = await Promise.all(
        browsers.map((b, i) =>
          b.post(
            "/register",
            { name: `Burst ${i}`, email: `burst${i}@example.com`, password: "a long enough passphrase" },
            { headers },
          ),
        ),
      );
      expect(answers.filter((r) => r.status === 303)).toHaveLength(3);
      expect(answers.filter((r) => r.status === 429)).toHaveLength(7);
      expect(await a.db.user.count({ where: { email: { startsWith: "burst" } } })).toBe(3);
    } finally {
      await a.close();
    }
  });

  it("limits one client address across accounts", async () => {
    const a = await testApp({ LOGIN_MAX_FAILURES_PER_ADDRESS: "3", TRUST_PROXY: "1" });
    try {
      const headers = { "X-Forwarded-For": "203.0.113.9" };
      for (let i = 0; i < 3; i++)
        expect(
          (await new Browser(a).post("/login", { email: `x${i}@example.com`, password: "nope nope" }, { headers }))
            .status,
        ).toBe(401);
      expect(
        (await new Browser(a).post("/login", { email: "y@example.com", password: "nope nope" }, { headers })).status,
      ).toBe(429);
      expect(
        (
          await new Browser(a).post(
            "/login",
            { email: "y@example.com", password: "nope nope" },
            { headers: { "X-Forwarded-For": "203.0.113.10" } },
          )
        ).status,
      ).toBe(401);
    } finally {
      await a.close();
    }
  });
});

describe("the client address behind proxies (TRUST_PROXY)", () => {
  const fail = (a: TestApp, email: string, forwardedFor: string) =>
    new Browser(a).post("/login", { email, password: "nope nope" }, { headers: { "X-Forwarded-For": forwardedFor } });

  it("takes the address one trusted proxy appended, not what the client wrote before it", async () => {
    const a = await testApp({ LOGIN_MAX_FAILURES_PER_ADDRESS: "3", TRUST_PROXY: "1" });
    try {
      // The client makes up a new leftmost entry each time; the proxy appends the real address.
      for (let i = 0; i < 3; i++)
        expect((await fail(a, `l${i}@example.com`, `198.51.100.${i}, 203.0.113.7`)).status).toBe(401);
      expect((await fail(a, "l9@example.com", "198.51.100.99, 203.0.113.7")).status).toBe(429);
    } finally {
      await a.close();
    }
  });

  it("counts hops from the right with TRUST_PROXY=2", async () => {
    const a = await testApp({ LOGIN_MAX_FAILURES_PER_ADDRESS: "2", TRUST_PROXY: "2" });
    try {
      for (let i = 0; i < 2; i++)
        expect((await fail(a, `m${i}@example.com`, `10.9.9.${i}, 203.0.113.8, 10.0.0.1`)).status).toBe(401);
      expect((await fail(a, "m9@example.com", "203.0.113.8, 10.0.0.2")).status).toBe(429);
      expect((await fail(a, "m9@example.com", "203.0.113.9, 10.0.0.1")).status).toBe(401);
    } finally {
      await a.close();
    }
  });
});

describe("guessing from many addresses (OWASP: per pair tight, per account loose)", () => {
  const attempt = (a: TestApp, email: string, password: string, address: string) =>
    new Browser(a).post("/login", { email, password }, { headers: { "X-Forwarded-For": address } });
  /** A desk allowing 3 failures per (account, address) and `perAccount` per account, with its owner. */
  async function withDesk(perAccount: number, fn: (a: TestApp, owner: CurrentUser) => Promise<void>) {
    const env = { LOGIN_MAX_FAILURES: "3", TRUST_PROXY: "1", LOGIN_FAILURE_DELAY_MS: "1" };
    const a = await testApp({ ...env, LOGIN_MAX_FAILURES_PER_ACCOUNT: String(perAccount) });
    try {
      await fn(a, await createUser(a.db));
    } finally {
      await a.close();
    }
  }

  it("cannot lock the owner out: each guessing address is stopped, the owner's own still signs in", async () => {
    await withDesk(20, async (a, owner) => {
      for (const address of ["198.51.100.1", "198.51.100.2", "198.51.100.3"]) {
        const statuses = [];
        for (let i = 0; i < 4; i++) statuses.push((await attempt(a, owner.email, `guess ${i}`, address)).status);
        expect(statuses).toEqual([401, 401, 401, 429]);
      }
      expect((await attempt(a, owner.email, PASSWORD, "203.0.113.5")).status).toBe(303);
    });
  });

  it("a burst from one address does not use up the account's loose limit", async () => {
    await withDesk(6, async (a, owner) => {
      const burst = await Promise.all(
        Array.from({ length: 20 }, () => attempt(a, owner.email, "wrong", "198.51.100.7")),
      );
      expect(burst.filter((r) => r.status === 401).length).toBeLessThanOrEqual(3);
      expect(
        (await a.db.throttle.findUnique({ where: { key: `login:account:${owner.email}` } }))!.count,
      ).toBeLessThanOrEqual(3);
      expect((await attempt(a, owner.email, PASSWORD, "203.0.113.5")).status).toBe(303);
    });
  });

  it("stops everyone once the account's loose limit is reached, until the window ends", async () => {
    await withDesk(6, async (a, owner) => {
      for (let i = 0; i < 6; i++) expect((await attempt(a, owner.email, "wrong", `198.51.100.${i}`)).status).toBe(401);
      expect((await attempt(a, owner.email, PASSWORD, "203.0.113.5")).status).toBe(429);
      a.clock.advance(a.config.loginWindowMs + 1000);
      expect((await attempt(a, owner.email, PASSWORD, "203.0.113.5")).status).toBe(303);
    });
  });

  it("delays failed answers more and more once an account has more failures than one address may make", () => {
    expect([0, 3, 4, 5, 6, 9, 50].map((n) => failureDelayMs(n, 3, 250))).toEqual([0, 0, 250, 500, 1000, 8000, 16000]);
  });
});

describe("registration throttling", () => {
  it("counts a taken email like any other registration", async () => {
    const a = await testApp({ REGISTER_MAX_PER_HOUR: "2" });
    try {
      const existing = await createUser(a.db);
      for (let i = 0; i < 2; i++) expect((await register(new Browser(a), { email: existing.email })).status).toBe(303);
      expect((await register(new Browser(a), {})).status).toBe(429);
    } finally {
      await a.close();
    }
  });

  it("refuses registration N+1 from one address within the hour, and allows it after", async () => {
    const a = await testApp({ REGISTER_MAX_PER_HOUR: "2", TRUST_PROXY: "1" });
    try {
      const headers = { "X-Forwarded-For": "198.51.100.7" };
      const reg = (n: number) =>
        new Browser(a).post(
          "/register",
          { name: `R${n}`, email: `r${n}@example.com`, password: "a long kiosk passphrase" },
          { headers },
        );
      expect((await reg(1)).status).toBe(303);
      expect((await reg(2)).status).toBe(303);
      const refused = await reg(3);
      expect(refused.status).toBe(429);
      expect(refused.text).toContain("Too many attempts");
      expect(await a.db.user.count({ where: { email: "r3@example.com" } })).toBe(0);
      a.clock.advance(61 * 60_000);
      expect((await reg(3)).status).toBe(303);
    } finally {
      await a.close();
    }
  });
});

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
    const cases = [
      `${Buffer.from('{"alg":"none"}').toString("base64url")}.${p}.`,
      `${h}.${p}.${s!.slice(0, 10)}${s![10] === "A" ? "B" : "A"}${s!.slice(11)}`,
      await new SignJWT({ sub: String(user.id), jti: "no-such-session" })
        .setProtectedHeader({ alg: "HS256" })
        .setIssuedAt()
        .setExpirationTime("1h")
        .setIssuer("hyperdesk")
        .setAudience("hyperdesk")
        .sign(key),
      await new SignJWT({ sub: String(user.id) })
        .setProtectedHeader({ alg: "HS256" })
        .setIssuedAt()
        .setExpirationTime("1h")
        .setIssuer("hyperdesk")
        .setAudience("hyperdesk")
        .sign(key),
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

describe("where people start", () => {
  it("agents and admins start at the queue's open work, requesters at their own tickets", async () => {
    for (const [role, home] of [
      ["agent", "/queue?status=active"],
      ["admin", "/queue?status=active"],
      ["requester", "/tickets"],
    ] as const) {
      const user = await createUser(t.db, { role });
      const b = new Browser(t);
      expect((await b.post("/login", { email: user.email, password: PASSWORD })).location, role).toBe(home);
      expect((await b.get("/")).location, role).toBe(home);
      expect((await b.get("/login")).location, role).toBe(home);
    }
  });
});
