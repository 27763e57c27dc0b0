import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ERASED_TEXT } from "../../src/users/erase.js";
import { Browser, browserAs, createUser, PASSWORD, type TestApp, testApp } from "../helpers/app.js";
import { PNG } from "../helpers/files.js";

// Erasing a person (#28): the account goes, their tickets stay under "Erased person #n", the text
// of their messages and their files go unless kept, mail waiting for them is dropped, search finds
// nothing of them, the erasure is in the history; the address typed to confirm; never one's own.

let t: TestApp;
beforeAll(async () => {
  t = await testApp({ LOGIN_FAILURE_DELAY_MS: "0" });
});
afterAll(() => t.close());

const WORD = "Zephyrquill";

/** A requester with a ticket (a file on it), a reply of theirs, a staff answer and mail waiting for them. */
async function personWithTickets() {
  const person = await createUser(t.db, {
    name: "Erin Erasable",
    email: `erin${Math.random().toString(36).slice(2, 7)}@example.com`,
  });
  const agent = await createUser(t.db, { role: "agent", name: "Alex Agent" });
  const p = await browserAs(t, person);
  const opened = await p.postFiles(
    "/tickets",
    { subject: "Card lost", description: `My card ${WORD} was lost at the library.`, priority: "Medium" },
    [{ name: "card.png", bytes: PNG, type: "image/png" }],
  );
  const id = Number(opened.location!.split("/").pop());
  await p.post(`/tickets/${id}/replies`, { body: `It had the number ${WORD}-42 on it.` });
  await (await browserAs(t, agent)).post(`/tickets/${id}/replies`, { body: "We will issue a new card." });
  return { person, agent, id };
}

async function eraseAs(admin: Browser, id: number, fields: Record<string, string>) {
  return admin.post(`/admin/users/${id}/erase`, fields);
}

describe("erasing a person", () => {
  it("takes the account, their words and files and waiting mail; keeps the tickets; search forgets them", async () => {
    const { person, agent, id } = await personWithTickets();
    const admin = await createUser(t.db, { role: "admin", name: "Ada Admin" });
    const a = await browserAs(t, admin);
    expect(await t.db.outboxMessage.count({ where: { toAddress: person.email } })).toBeGreaterThan(0);
    const staff = await browserAs(t, agent);
    expect((await staff.get(`/queue?q=${WORD}`)).text).toContain("Card lost");

    const page = await a.get(`/admin/users/${person.id}/erase`);
    expect(page.status).toBe(200);
    expect(page.text).toContain("Erase Erin Erasable?");
    const missing = await eraseAs(a, person.id, {});
    expect(missing.status).toBe(422);
    expect(missing.text).toMatch(/id="confirm-error" class="error">Type erin/);
    const wrong = await eraseAs(a, person.id, { confirm: "someone@else.org", keep: "text" });
    expect(wrong.status).toBe(422);
    expect(wrong.text).toContain("nothing was erased");
    // What was ticked stays ticked.
    expect(wrong.text).toMatch(/id="keep-text"[^>]*checked/);
    expect((await t.db.user.findUniqueOrThrow({ where: { id: person.id } })).erasedAt).toBeNull();

    const done = await eraseAs(a, person.id, { confirm: person.email.toUpperCase() });
    expect(done.status).toBe(303);
    expect(done.location).toBe(`/admin/users/${person.id}`);
    const after = await a.get(done.location!);
    expect(after.text).toContain("Erin Erasable is erased.");
    expect(after.text).toContain(`Erased person #${person.id}`);
    expect(after.text).toContain("Erased (data protection) (Ada Admin)");

    const row = await t.db.user.findUniqueOrThrow({ where: { id: person.id } });
    expect([row.name, row.email, row.passwordHash, row.role]).toEqual([
      `Erased person #${person.id}`,
      `erased-${person.id}@erased.invalid`,
      "",
      "requester",
    ]);
    expect(await t.db.session.count({ where: { userId: person.id } })).toBe(0);
    const signIn = await new Browser(t).post("/login", { email: person.email, password: PASSWORD });
    expect(signIn.status).toBe(401);
    // The ticket stays, under the erased person, without their words or file; the desk's answer stays.
    const ticket = await t.db.ticket.findUniqueOrThrow({
      where: { id },
      include: { replies: { orderBy: { id: "asc" } }, attachments: true },
    });
    expect(ticket.subject).toBe("Card lost");
    expect(ticket.description).toBe(ERASED_TEXT);
    expect(ticket.replies.map((r) => r.body)).toEqual([ERASED_TEXT, "We will issue a new card."]);
    expect(ticket.attachments).toEqual([]);
    // Nothing of the address anywhere; nothing of the words in search.
    expect(
      await t.db.outboxMessage.count({ where: { OR: [{ toAddress: person.email }, { toUserId: person.id }] } }),
    ).toBe(0);
    expect(await t.db.user.count({ where: { email: person.email } })).toBe(0);
    expect((await staff.get(`/queue?q=${WORD}`)).text).not.toContain("Card lost");
    expect((await staff.get(`/queue?${new URLSearchParams({ requester: person.email })}`)).text).not.toContain(
      "Card lost",
    );
    const ticketPage = await staff.get(`/tickets/${id}`);
    expect(ticketPage.status).toBe(200);
    expect(ticketPage.text).toContain(`Erased person #${person.id}`);
    expect(ticketPage.text).not.toContain("Erin");
    // Done once.
    expect((await eraseAs(a, person.id, { confirm: row.email })).status).toBe(409);
  });

  it("keeps the text and files when the admin says so", async () => {
    const { person, id } = await personWithTickets();
    const a = await browserAs(t, await createUser(t.db, { role: "admin" }));
    const done = await a.post(`/admin/users/${person.id}/erase`, { confirm: person.email, keep: "text" });
    expect(done.status).toBe(303);
    const ticket = await t.db.ticket.findUniqueOrThrow({
      where: { id },
      include: { attachments: true, replies: true },
    });
    expect(ticket.description).toContain(WORD);
    expect(ticket.attachments).toEqual([]);
    const other = await personWithTickets();
    await a.post(`/admin/users/${other.person.id}/erase`, { confirm: other.person.email, keep: "files" });
    const kept = await t.db.ticket.findUniqueOrThrow({ where: { id: other.id }, include: { attachments: true } });
    expect(kept.description).toBe(ERASED_TEXT);
    expect(kept.attachments.map((f) => f.name)).toEqual(["card.png"]);
  });

  it("is for admins, never of one's own account", async () => {
    const person = await createUser(t.db);
    const agent = await browserAs(t, await createUser(t.db, { role: "agent" }));
    expect((await agent.get(`/admin/users/${person.id}/erase`)).status).toBe(403);
    expect((await agent.post(`/admin/users/${person.id}/erase`, { confirm: person.email })).status).toBe(403);
    const admin = await createUser(t.db, { role: "admin" });
    const a = await browserAs(t, admin);
    const self = await a.post(`/admin/users/${admin.id}/erase`, { confirm: admin.email });
    expect(self.status).toBe(409);
    expect(self.text).toContain("You cannot erase your own account here");
    expect((await a.get("/admin/users/999999/erase")).status).toBe(404);
    expect((await t.db.user.findUniqueOrThrow({ where: { id: person.id } })).erasedAt).toBeNull();
  });
});
