import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Browser, browserAs, createUser, PASSWORD, register, type TestApp, testApp } from "../helpers/app.js";

// /register: the form, its validation, the link that confirms the address, and its throttle.

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(() => t.close());

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
    // The title says so first (what a screen reader announces, what the tab shows); a page that
    // is not a refused form does not.
    expect(res.text).toContain("<title>Error: Create your account · Hyperdesk</title>");
    expect((await new Browser(t).get("/register")).text).toContain("<title>Create your account · Hyperdesk</title>");
    const arabic = await new Browser(t).post(
      "/register",
      { name: "", email: "x", password: "short" },
      { headers: { "Accept-Language": "ar" } },
    );
    expect(arabic.text).toMatch(/<title>خطأ: /);
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
