import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CurrentUser } from "../../src/env.js";
import { failureDelayMs } from "../../src/users/sign-in.js";
import { Browser, browserAs, createUser, PASSWORD, register, type TestApp, testApp } from "../helpers/app.js";

// /login, /logout and where each role lands: signing in, the cookie, throttling per address and account.

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(() => t.close());

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
