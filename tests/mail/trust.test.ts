import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CurrentUser } from "../../src/env.js";
import { replyAddress, threadRootId } from "../../src/mail/addresses.js";
import { receiveMail } from "../../src/mail/incoming.js";
import { type Browser, browserAs, createUser, type TestApp, testApp } from "../helpers/app.js";
import { eml } from "../helpers/imap.js";

// From is a claim, not an identity: forged staff and requester addresses, reply addresses used for
// another ticket or person, and Authentication-Results from hosts that are not the desk's own.

let t: TestApp;
let requester: CurrentUser, agent: CurrentUser;
let as: Record<"requester" | "agent", Browser>;

beforeAll(async () => {
  t = await testApp({ MAIL_FROM: "Desk <support@desk.example>", MAIL_TRUSTED_AUTHSERV_ID: "mx.desk.example" });
  requester = await createUser(t.db, { name: "Rita Requester", email: "rita@example.com" });
  agent = await createUser(t.db, { name: "Alex Agent", role: "agent", email: "alex@desk.example" });
  as = { requester: await browserAs(t, requester), agent: await browserAs(t, agent) };
});
afterAll(() => t.close());

const ticket = async (status = "Open") =>
  (
    await t.db.ticket.create({
      data: { subject: "Badge", description: "My badge does not open the door.", requesterId: requester.id, status },
    })
  ).id;
const thread = (id: number) => t.db.reply.findMany({ where: { ticketId: id }, include: { author: true } });
const mailed = (id: number) => t.db.outboxMessage.count({ where: { ticketId: id } });

/** What must hold after a message that proves nobody pointed at a ticket. */
async function expectUnverifiedNote(id: number, text: string) {
  const [note] = await thread(id);
  expect(note).toMatchObject({ internal: true });
  expect(note!.author.name).toBe("Unverified email");
  expect(note!.author.disabledAt).not.toBeNull();
  expect(note!.body).toContain("Unverified sender");
  expect(await mailed(id)).toBe(0);
  expect((await as.requester.get(`/tickets/${id}`)).text).not.toContain(text);
  expect((await as.agent.get(`/tickets/${id}`)).text).toContain(text);
}

describe("mail that claims to be someone", () => {
  it("a forged staff From with [#id] is an internal note marked unverified, mailed to nobody", async () => {
    const id = await ticket();
    const forged = eml({
      from: "Alex Agent <alex@desk.example>",
      subject: `Re: [#${id}] Badge`,
      body: "Send your password to me.",
    });
    expect(await receiveMail(t.deps, forged.raw)).toEqual({ outcome: "noted", ticketId: id });
    await expectUnverifiedNote(id, "Send your password to me.");
  });

  it("a forged requester From citing the desk's own message is a note too, and changes no status", async () => {
    const id = await ticket("Waiting");
    const root = threadRootId(t.config, await t.db.ticket.findUniqueOrThrow({ where: { id } }));
    const forged = eml({
      from: "rita@example.com",
      subject: "Re: your ticket",
      body: "Please close it.",
      headers: { "In-Reply-To": root, References: root },
    });
    expect(await receiveMail(t.deps, forged.raw)).toEqual({ outcome: "noted", ticketId: id });
    await expectUnverifiedNote(id, "Please close it.");
    expect((await t.db.ticket.findUniqueOrThrow({ where: { id } })).status).toBe("Waiting");
  });

  it("a thread root id without the desk's MAC points at nothing: it opens a ticket of its own", async () => {
    const id = await ticket();
    const created = (await t.db.ticket.findUniqueOrThrow({ where: { id } })).createdAt;
    const guessed = `<ticket-${id}-${created.getTime().toString(36)}@desk.example>`;
    const mail = eml({ from: "x@example.org", subject: "Hello", body: "Hi.", headers: { References: guessed } });
    const result = await receiveMail(t.deps, mail.raw);
    expect(result.outcome).toBe("created");
    expect((result as { ticketId: number }).ticketId).not.toBe(id);
    expect(await thread(id)).toEqual([]);
  });
});

describe("signed reply addresses", () => {
  it("speak as the person they were made for, on their ticket alone, whatever From says", async () => {
    const id = await ticket();
    const other = await ticket();
    // Rita's address for this ticket, in a message whose subject names another: it answers this one.
    const mail = eml({
      from: "someone-else@example.org",
      to: replyAddress(t.config, id, requester.id),
      subject: `Re: [#${other}]`,
      body: "Still broken.",
    });
    expect(await receiveMail(t.deps, mail.raw)).toEqual({ outcome: "replied", ticketId: id });
    const [reply] = await thread(id);
    expect(reply).toMatchObject({ internal: false, authorId: requester.id, body: "Still broken." });
    expect(await thread(other)).toEqual([]);
    // The agent's address speaks as the agent: a public reply, mailed to the requester.
    const answer = eml({
      from: "alex@desk.example",
      to: replyAddress(t.config, id, agent.id),
      subject: "Re",
      body: "On it.",
    });
    expect(await receiveMail(t.deps, answer.raw)).toEqual({ outcome: "replied", ticketId: id });
    expect(
      await t.db.outboxMessage.count({ where: { ticketId: id, kind: "reply", toAddress: "rita@example.com" } }),
    ).toBe(1);
  });

  it("an address moved to another ticket or person fails its MAC and proves nothing", async () => {
    const id = await ticket();
    const other = await ticket();
    const real = replyAddress(t.config, id, requester.id);
    for (const moved of [
      real.replace(`+t${id}.`, `+t${other}.`),
      real.replace(`.u${requester.id}.`, `.u${agent.id}.`),
    ]) {
      const mail = eml({ from: "alex@desk.example", to: moved, subject: `Re: [#${other}]`, body: `Moved ${moved}` });
      expect(await receiveMail(t.deps, mail.raw)).toEqual({ outcome: "noted", ticketId: other });
    }
    const notes = await thread(other);
    expect(notes.map((n) => [n.internal, n.author.name])).toEqual([
      [true, "Unverified email"],
      [true, "Unverified email"],
    ]);
    expect(await thread(id)).toEqual([]);
  });
});

describe("Authentication-Results", () => {
  const dmarc = (host: string, domain: string) =>
    `${host}; dkim=pass header.d=${domain}; spf=pass smtp.mailfrom=${domain}; dmarc=pass (p=reject) header.from=${domain}`;

  it("from the desk's own MTA saying DMARC passed, a requester's From is taken: a public reply", async () => {
    const id = await ticket("Waiting");
    const mail = eml({
      from: "rita@example.com",
      subject: `Re: [#${id}] Badge`,
      body: "Here is the photo you asked for.",
      headers: { "Authentication-Results": dmarc("mx.desk.example", "example.com") },
    });
    expect(await receiveMail(t.deps, mail.raw)).toEqual({ outcome: "replied", ticketId: id });
    expect((await thread(id))[0]).toMatchObject({ internal: false, authorId: requester.id });
    expect((await t.db.ticket.findUniqueOrThrow({ where: { id } })).status).toBe("Open");
  });

  it("from any other host, for another domain, failed, or for staff: nothing is taken on its word", async () => {
    const id = await ticket();
    const cases: [string, string][] = [
      ["rita@example.com", dmarc("mx.attacker.example", "example.com")],
      ["rita@example.com", dmarc("mx.desk.example", "attacker.example")],
      ["rita@example.com", dmarc("mx.desk.example", "example.com").replace("dmarc=pass", "dmarc=fail")],
      // An attacker's header under the MTA's own: only the topmost counts.
      ["rita@example.com", "mx.desk.example; dmarc=none header.from=example.com"],
      ["alex@desk.example", dmarc("mx.desk.example", "desk.example")],
    ];
    for (const [from, results] of cases) {
      const raw = eml({ from, subject: `Re: [#${id}]`, body: `Case ${results}` }).raw.replace(
        "MIME-Version",
        `Authentication-Results: ${results}\r\nAuthentication-Results: ${dmarc("mx.desk.example", "example.com")}\r\nMIME-Version`,
      );
      expect(await receiveMail(t.deps, raw), results).toEqual({ outcome: "noted", ticketId: id });
    }
    expect((await thread(id)).every((r) => r.internal && r.author.name === "Unverified email")).toBe(true);
    expect(await mailed(id)).toBe(0);
  });
});
