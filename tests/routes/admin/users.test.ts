import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CurrentUser } from "../../../src/env.js";
import { Browser, browserAs, createUser, PASSWORD, type TestApp, testApp } from "../../helpers/app.js";

let t: TestApp;
let adminUser: CurrentUser;
let admin: Browser;
beforeAll(async () => {
  t = await testApp();
  adminUser = await createUser(t.db, { role: "admin", name: "Ada Admin" });
  admin = await browserAs(t, adminUser);
});
afterAll(() => t.close());

describe("people", () => {
  it("lists and searches people", async () => {
    await createUser(t.db, { name: "Findable Person", email: "findable@example.org" });
    const res = await admin.get("/admin/users?q=FINDABLE");
    expect(res.text).toContain("findable@example.org");
    expect(res.text).not.toContain(adminUser.email);
  });

  it("links a person to the tickets they opened", async () => {
    const person = await createUser(t.db, { name: "Tia Tickets", email: "tia+desk@example.org" });
    const other = await createUser(t.db);
    const mine = await t.db.ticket.create({
      data: { subject: "Tia's monitor flickers", description: "Since this morning.", requesterId: person.id },
    });
    const theirs = await t.db.ticket.create({
      data: { subject: "Someone else's problem", description: "Not Tia's.", requesterId: other.id },
    });
    const page = await admin.get(`/admin/users/${person.id}`);
    const link = page.text.match(/<a href="([^"]+)">Tickets Tia Tickets opened<\/a>/)![1]!.replaceAll("&amp;", "&");
    expect(link).toBe("/queue?requester=tia%2Bdesk%40example.org");
    const queue = await admin.get(link);
    expect(queue.text).toContain(`#${mine.id}`);
    expect(queue.text).not.toContain(`#${theirs.id}<`);
  });

  it("changes a role, effective at the user's next request", async () => {
    const person = await createUser(t.db);
    const b = await browserAs(t, person);
    expect((await b.get("/queue")).status).toBe(403);
    const res = await admin.post(`/admin/users/${person.id}/role`, { role: "agent" });
    expect(res.status).toBe(303);
    expect((await b.get("/queue")).status).toBe(200);
    const partial = await admin.post(`/admin/users/${person.id}/role`, { role: "requester" }, { htmx: "partial" });
    expect(partial.text).toMatch(/^<div id="person">/);
    expect((await b.get("/queue")).status).toBe(403);
  });

  it("asks before making someone an admin or taking admin away, page and in place", async () => {
    const person = await createUser(t.db, { name: "Pia Promoted" });
    const ask = await admin.post(`/admin/users/${person.id}/role`, { role: "admin" });
    expect(ask.status).toBe(200);
    expect(ask.text).toContain("Make Pia Promoted an admin?");
    expect(ask.text).toContain("Admins can do everything");
    expect(ask.text).toContain('name="confirm" value="1"');
    expect(ask.text).toContain(`href="/admin/users/${person.id}">Cancel</a>`);
    expect((await t.db.user.findUniqueOrThrow({ where: { id: person.id } })).role).toBe("requester");
    const inPlace = await admin.post(`/admin/users/${person.id}/role`, { role: "admin" }, { htmx: "partial" });
    expect(inPlace.text).toMatch(/^<div id="person" class="confirm">/);
    const yes = await admin.post(`/admin/users/${person.id}/role`, { role: "admin", confirm: "1" });
    expect(yes.status).toBe(303);
    expect((await t.db.user.findUniqueOrThrow({ where: { id: person.id } })).role).toBe("admin");
    // Taking it away is asked too; agent <-> requester is not.
    expect((await admin.post(`/admin/users/${person.id}/role`, { role: "agent" })).text).toContain(
      "Make Pia Promoted an agent?",
    );
    expect((await admin.post(`/admin/users/${person.id}/role`, { role: "agent", confirm: "1" })).status).toBe(303);
    expect((await admin.post(`/admin/users/${person.id}/role`, { role: "requester" })).status).toBe(303);
  });

  it("refuses a role that does not exist with 422 and the message, changing nothing", async () => {
    const person = await createUser(t.db);
    for (const htmx of [false, "partial"] as const) {
      const res = await admin.post(`/admin/users/${person.id}/role`, { role: "superuser" }, { htmx });
      expect(res.status).toBe(422);
      expect(res.text).toContain("Choose requester, agent or admin.");
    }
    expect((await t.db.user.findUniqueOrThrow({ where: { id: person.id } })).role).toBe("requester");
  });

  it("disabling asks for confirmation without JS, ends the sessions and blocks sign-in; enabling restores", async () => {
    const person = await createUser(t.db, { name: "Dee Disabled" });
    const b = await browserAs(t, person);
    const confirm = await admin.get(`/admin/users/${person.id}/disable`);
    expect(confirm.text).toContain("Disable Dee Disabled?");
    expect(await t.db.user.findUniqueOrThrow({ where: { id: person.id } })).toMatchObject({ disabledAt: null });
    expect((await admin.post(`/admin/users/${person.id}/disable`)).status).toBe(303);
    expect((await b.get("/tickets")).status).toBe(303);
    expect((await new Browser(t).post("/login", { email: person.email, password: PASSWORD })).status).toBe(401);
    await admin.post(`/admin/users/${person.id}/enable`);
    expect((await new Browser(t).post("/login", { email: person.email, password: PASSWORD })).status).toBe(303);
  });

  it("the person page offers data-hx-confirm on disable for browsers with JS", async () => {
    const person = await createUser(t.db);
    const page = await admin.get(`/admin/users/${person.id}`);
    expect(page.text).toMatch(
      /href="\/admin\/users\/\d+\/disable" data-hx-post="\/admin\/users\/\d+\/disable"[^>]*data-hx-confirm="Disable/,
    );
  });

  it("ends all sessions of a user", async () => {
    const person = await createUser(t.db);
    const b1 = await browserAs(t, person);
    const b2 = await browserAs(t, person);
    const res = await admin.post(`/admin/users/${person.id}/sessions/end`);
    expect(res.status).toBe(303);
    expect((await admin.get(res.location!)).text).toContain("out of 2 sessions");
    expect((await b1.get("/tickets")).status).toBe(303);
    expect((await b2.get("/tickets")).status).toBe(303);
  });

  it("protects the last admin from demotion and disabling", async () => {
    const a = await testApp();
    try {
      const only = await createUser(a.db, { role: "admin" });
      const b = await browserAs(a, only);
      const demote = await b.post(`/admin/users/${only.id}/role`, { role: "agent", confirm: "1" });
      expect(demote.status).toBe(409);
      expect(demote.text).toContain("the last admin");
      const second = await createUser(a.db, { role: "admin" });
      const b2 = await browserAs(a, second);
      expect((await b2.post(`/admin/users/${only.id}/disable`)).status).toBe(303);
      expect((await b2.post(`/admin/users/${second.id}/role`, { role: "agent", confirm: "1" })).status).toBe(409);
      expect((await a.db.user.findUniqueOrThrow({ where: { id: second.id } })).role).toBe("admin");
    } finally {
      await a.close();
    }
  });

  it("keeps an admin when the last two demote or disable each other at the same moment", async () => {
    for (const action of ["role", "disable"] as const) {
      const a = await testApp();
      try {
        const [one, two] = [await createUser(a.db, { role: "admin" }), await createUser(a.db, { role: "admin" })];
        const [b1, b2] = [await browserAs(a, one), await browserAs(a, two)];
        await b1.get("/account");
        await b2.get("/account");
        for (let round = 0; round < 5; round++) {
          const answers = await Promise.all([
            b1.post(`/admin/users/${two.id}/${action}`, { role: "agent", confirm: "1" }),
            b2.post(`/admin/users/${one.id}/${action}`, { role: "agent", confirm: "1" }),
          ]);
          // 303 done, 409 refused; 403 or 401 when the other's change landed first (no admin, or signed out, now).
          expect(
            answers.map((r) => r.status).every((s) => [303, 401, 403, 409].includes(s)),
            `${action}: ${answers.map((r) => r.status)}`,
          ).toBe(true);
          expect(await a.db.user.count({ where: { role: "admin", disabledAt: null } }), action).toBeGreaterThanOrEqual(
            1,
          );
          // Both admins again for the next round.
          await a.db.user.updateMany({
            where: { id: { in: [one.id, two.id] } },
            data: { role: "admin", disabledAt: null },
          });
          await a.db.session.updateMany({ where: { userId: { in: [one.id, two.id] } }, data: { revokedAt: null } });
        }
      } finally {
        await a.close();
      }
    }
  });

  it("answers 404 for people who do not exist and 403 for non-admins", async () => {
    expect((await admin.get("/admin/users/999999")).status).toBe(404);
    expect((await admin.post("/admin/users/999999/role", { role: "agent" })).status).toBe(404);
    const agent = await browserAs(t, await createUser(t.db, { role: "agent" }));
    expect((await agent.post(`/admin/users/${adminUser.id}/role`, { role: "requester" })).status).toBe(403);
    expect((await t.db.user.findUniqueOrThrow({ where: { id: adminUser.id } })).role).toBe("admin");
  });
});

describe("adding a person", () => {
  it("adds a person with a role, who is emailed a 7-day link to choose a password", async () => {
    const form = await admin.get("/admin/users/new");
    expect(form.status).toBe(200);
    const res = await admin.post("/admin/users", { name: " Omar Agent ", email: "Omar@Example.org", role: "agent" });
    expect(res.status).toBe(303);
    const omar = await t.db.user.findUniqueOrThrow({ where: { email: "omar@example.org" } });
    expect(res.location).toBe(`/admin/users/${omar.id}`);
    expect([omar.name, omar.role, omar.passwordHash, omar.emailConfirmedAt]).toEqual(["Omar Agent", "agent", "", null]);
    expect((await admin.get(res.location!)).text).toContain("We emailed omar@example.org a link to choose a password");
    const mail = await t.db.outboxMessage.findFirstOrThrow({ where: { toAddress: "omar@example.org" } });
    expect(mail.kind).toBe("invite_link");
    expect(mail.text).toContain("Hello Omar Agent, Ada Admin added you to Hyperdesk as agent.");
    const token = mail.text.match(/\/password\/reset\?token=([\w-]+)/)![1]!;
    // Six days later the link still works; choosing the password confirms the address and signs in next.
    t.clock.advance(6 * 86_400_000);
    const visitor = new Browser(t);
    expect((await visitor.get(`/password/reset?token=${token}`)).status).toBe(200);
    const chosen = await visitor.post("/password/reset", { token, password: "a long agent passphrase" });
    expect(chosen.status).toBe(303);
    const signedIn = await visitor.post("/login", { email: "omar@example.org", password: "a long agent passphrase" });
    expect(signedIn.location).toMatch(/^\/queue/);
    expect((await t.db.user.findUniqueOrThrow({ where: { id: omar.id } })).emailConfirmedAt).not.toBeNull();
  });

  it("refuses bad input and a taken address next to the field, keeping what was typed", async () => {
    // A session of its own (the test before moved the clock on by days).
    const admin = await browserAs(t, adminUser);
    await admin.get("/admin/users/new");
    const bad = await admin.post("/admin/users", { name: "", email: "not-an-address", role: "boss" });
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('id="email-error"');
    expect(bad.text).toContain('id="name-error"');
    expect(bad.text).toContain('value="not-an-address"');
    const taken = await admin.post("/admin/users", { name: "Ada Again", email: adminUser.email, role: "agent" });
    expect(taken.status).toBe(422);
    expect(taken.text).toContain("This address already has an account");
    expect(await t.db.user.count({ where: { name: "Ada Again" } })).toBe(0);
  });

  it("is for admins only", async () => {
    const agent = await browserAs(t, await createUser(t.db, { role: "agent" }));
    expect((await agent.get("/admin/users/new")).status).toBe(403);
    const res = await agent.post("/admin/users", { name: "Sneaky", email: "sneaky@example.org", role: "admin" });
    expect(res.status).toBe(403);
    expect(await t.db.user.count({ where: { email: "sneaky@example.org" } })).toBe(0);
    expect((await new Browser(t).get("/admin/users/new")).status).toBe(303);
  });
});
