import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { CurrentUser } from "../../src/env.js";
import { readReplyAddress } from "../../src/mail/addresses.js";
import { claim } from "../../src/mail/outbox.js";
import { smtpSender } from "../../src/mail/transport.js";
import { MailWorker } from "../../src/mail/worker.js";
import { type Browser, browserAs, createUser, section, type TestApp, testApp } from "../helpers/app.js";
import { header, startSmtp, type TestSmtp } from "../helpers/smtp.js";

// Outgoing mail against a real SMTP server: what is written to the outbox with each change, what
// arrives (headers, threading, parts), the opt-outs, retries, refusals and leases.

let t: TestApp;
let smtp: TestSmtp;
let worker: MailWorker;
let requester: CurrentUser, agent: CurrentUser, agent2: CurrentUser, admin: CurrentUser;
let as: Record<"requester" | "agent" | "agent2" | "admin", Browser>;

beforeAll(async () => {
  smtp = await startSmtp();
  t = await testApp({
    SMTP_URL: smtp.url,
    MAIL_FROM: "Acme Support <support@desk.example>",
    PUBLIC_URL: "https://desk.example",
    MAIL_RETRY_SECONDS: "60",
    MAIL_MAX_ATTEMPTS: "4",
  });
  worker = new MailWorker(t.deps, smtpSender(t.config));
  requester = await createUser(t.db, { name: "Rita Requester", email: "rita@example.com" });
  agent = await createUser(t.db, { name: "Alex Agent", role: "agent", email: "alex@example.com" });
  agent2 = await createUser(t.db, { name: "Sam Second", role: "agent", email: "sam@example.com" });
  admin = await createUser(t.db, { name: "Ada Admin", role: "admin", email: "ada@example.com" });
});
afterAll(async () => {
  await smtp.close();
  await t.close();
});
beforeEach(async () => {
  // Each test starts signed in afresh (some move the clock by hours), with nothing waiting and an
  // empty server.
  t.clock.advance(24 * 3_600_000);
  as = {
    requester: await browserAs(t, requester),
    agent: await browserAs(t, agent),
    agent2: await browserAs(t, agent2),
    admin: await browserAs(t, admin),
  };
  await worker.runOnce();
  smtp.received.length = 0;
  smtp.answers.length = 0;
});

async function openTicket(subject = "Printer on floor 2 jams") {
  const res = await as.requester.post("/tickets", {
    subject,
    description: "It jams on every second page since Monday.",
    priority: "High",
  });
  expect(res.status).toBe(303);
  return Number(res.location!.match(/\/tickets\/(\d+)/)![1]);
}
const version = async (id: number) => String((await t.db.ticket.findUniqueOrThrow({ where: { id } })).version);
const waiting = (ticketId: number) => t.db.outboxMessage.findMany({ where: { ticketId }, orderBy: { id: "asc" } });

describe("what a change writes to the outbox", () => {
  it("a new ticket: the requester's receipt, with the number, as the thread's root", async () => {
    const id = await openTicket();
    const rows = await waiting(id);
    expect(rows.map((r) => [r.kind, r.toAddress, r.status])).toEqual([["receipt", "rita@example.com", "waiting"]]);
    await worker.runOnce();
    const [mail] = await smtp.waitFor(1);
    expect(mail!.to).toEqual(["rita@example.com"]);
    expect(mail!.from).toBe("support@desk.example");
    expect(mail!.parsed.subject).toBe(`[#${id}] Printer on floor 2 jams`);
    expect(mail!.parsed.messageId).toBe(rows[0]!.messageId);
    expect(mail!.parsed.messageId).toMatch(new RegExp(`^<ticket-${id}-[0-9a-z]+\\.[a-z2-7]{8}@desk\\.example>$`));
    expect(header(mail!, "auto-submitted")).toBe("auto-generated");
    expect(header(mail!, "x-auto-response-suppress")).toBe("All");
    const replyTo = mail!.parsed.replyTo![0]!.address!;
    expect(replyTo).toMatch(new RegExp(`^support\\+t${id}\\.u${requester.id}\\.[a-z2-7]{16}@desk\\.example$`));
    expect(readReplyAddress(t.config, replyTo)).toEqual({ ticketId: id, userId: requester.id });
    expect(mail!.parsed.from!.name).toBe("Acme Support");
    // Both parts: plain text and a small HTML part with no remote images.
    expect(mail!.parsed.text).toContain(`Its number is #${id}`);
    expect(mail!.parsed.text).toContain(`https://desk.example/tickets/${id}`);
    expect(mail!.parsed.text).toContain("It jams on every second page");
    expect(mail!.parsed.html).toContain(`href="https://desk.example/tickets/${id}"`);
    expect(mail!.parsed.html).not.toMatch(/<img|src=/i);
    expect(mail!.raw.length).toBeLessThan(6000);
    expect((await waiting(id))[0]!.status).toBe("sent");
  });

  it("an agent's reply goes to the requester, threaded under the receipt, from the agent's name", async () => {
    const id = await openTicket();
    await worker.runOnce();
    const root = (await waiting(id))[0]!.messageId;
    const reply = await as.agent.post(`/tickets/${id}/replies`, { body: "Please try the tray on the left." });
    expect(reply.status).toBe(303);
    await worker.runOnce();
    const mails = await smtp.waitFor(2);
    const answer = mails[1]!;
    expect(answer.to).toEqual(["rita@example.com"]);
    expect(answer.parsed.subject).toBe(`Re: [#${id}] Printer on floor 2 jams`);
    expect(answer.parsed.inReplyTo).toBe(root);
    expect(answer.parsed.references).toBe(root);
    expect(answer.parsed.messageId).not.toBe(root);
    expect(answer.parsed.from!.name).toBe("Alex Agent via Acme Support");
    expect(answer.parsed.text).toContain("Alex Agent answered your ticket");
    expect(answer.parsed.text).toContain("Please try the tray on the left.");
    // Nobody is mailed about their own action: the agent got nothing.
    expect(mails.flatMap((m) => m.to)).not.toContain("alex@example.com");
  });

  it("an internal note is never mailed, to anyone", async () => {
    const id = await openTicket();
    await as.admin.post(`/tickets/${id}/assignee`, { assignee: String(agent.id), version: await version(id) });
    const before = (await waiting(id)).length;
    const note = await as.agent2.post(`/tickets/${id}/replies`, {
      kind: "note",
      body: "Secret: the printer is out of warranty.",
    });
    expect(note.status).toBe(303);
    expect((await waiting(id)).length).toBe(before);
    await worker.runOnce();
    for (const mail of smtp.received) expect(mail.raw).not.toContain("out of warranty");
  });

  it("the assignee hears of the assignment and of the requester's replies; not of assigning themselves", async () => {
    const id = await openTicket();
    await as.admin.post(`/tickets/${id}/assignee`, { assignee: String(agent.id), version: await version(id) });
    await as.requester.post(`/tickets/${id}/replies`, { body: "It also smells of toner." });
    const self = await openTicket("Second printer");
    await as.agent2.post(`/tickets/${self}/assignee`, { assignee: String(agent2.id), version: await version(self) });
    await worker.runOnce();
    const toAgents = smtp.received.filter((m) => m.to[0] !== "rita@example.com");
    expect(toAgents.map((m) => [m.to[0], m.parsed.subject])).toEqual([
      ["alex@example.com", `Re: [#${id}] Printer on floor 2 jams`],
      ["alex@example.com", `Re: [#${id}] Printer on floor 2 jams`],
    ]);
    expect(toAgents[0]!.parsed.text).toContain("Ada Admin assigned ticket");
    expect(toAgents[1]!.parsed.text).toContain("Rita Requester answered ticket");
    expect(toAgents[1]!.parsed.text).toContain("It also smells of toner.");
  });

  it("Waiting and Closed are told to the requester; the requester closing it themselves is not", async () => {
    const id = await openTicket();
    await as.agent.post(`/tickets/${id}/triage`, {
      status: "Waiting",
      priority: "Medium",
      assignee: "",
      version: await version(id),
    });
    await as.agent.post(`/tickets/${id}/close`, { version: await version(id) });
    const own = await openTicket("Closed by me");
    await as.requester.post(`/tickets/${own}/close`, { version: await version(own) });
    const kinds = (
      await t.db.outboxMessage.findMany({ where: { ticketId: { in: [id, own] } }, orderBy: { id: "asc" } })
    ).map((r) => [r.ticketId, r.kind]);
    expect(kinds).toEqual([
      [id, "receipt"],
      [id, "waiting"],
      [id, "closed"],
      [own, "receipt"],
    ]);
  });

  it("an answer with a status is one email: the reply says the ticket now waits, or is closed", async () => {
    const id = await openTicket("One mail per answer");
    const sent = await as.agent.post(`/tickets/${id}/replies`, {
      body: "Which floor is it on?",
      set_status: "Waiting",
    });
    expect(sent.status).toBe(303);
    await as.requester.post(`/tickets/${id}/replies`, { body: "Floor 2, by the lifts." });
    await as.agent.post(`/tickets/${id}/replies`, { body: "Fixed: a new drum.", set_status: "Closed" });
    const rows = await t.db.outboxMessage.findMany({ where: { ticketId: id }, orderBy: { id: "asc" } });
    expect(rows.filter((r) => r.toAddress === "rita@example.com").map((r) => r.kind)).toEqual([
      "receipt",
      "reply",
      "reply",
    ]);
    const [, asked, closed] = rows.filter((r) => r.toAddress === "rita@example.com");
    expect(asked!.text).toContain("Which floor is it on?");
    expect(asked!.text).toContain("The ticket now waits for your answer");
    expect(closed!.text).toContain("Fixed: a new drum.");
    expect(closed!.text).toContain("The ticket is now closed.");
    const events = await t.db.ticketEvent.findMany({ where: { ticketId: id }, orderBy: { id: "asc" } });
    expect(events.map((e) => [e.kind, e.toValue])).toEqual([
      ["created", "High"],
      ["reply", null],
      ["status", "Waiting"],
      // The agent's answer took the ticket nobody had (ASSIGN_ON_REPLY), so the requester's
      // answer hands it back to them: In progress.
      ["assignee", "Alex Agent"],
      ["reply", null],
      ["status", "In progress"],
      ["reply", null],
      ["status", "Closed"],
    ]);
  });

  it("a change refused as stale writes no message", async () => {
    const id = await openTicket();
    const stale = await as.agent.post(`/tickets/${id}/triage`, {
      status: "Waiting",
      priority: "Medium",
      assignee: "",
      version: "999",
    });
    expect(stale.status).toBe(409);
    expect((await waiting(id)).map((r) => r.kind)).toEqual(["receipt"]);
  });
});

describe("each person chooses what they get on /account", () => {
  it("the choices are on the account page, and a requester sees only the requester kinds", async () => {
    const page = await as.requester.get("/account");
    const form = section(page.text, "mail-form");
    expect(form).toContain('name="on" value="reply" checked');
    expect(form).not.toContain('value="assigned"');
    const staffPage = section((await as.agent.get("/account")).text, "mail-form");
    expect(staffPage).toContain('value="new_ticket"');
    expect(staffPage).not.toContain('value="new_ticket" checked');
  });

  /** A form with one field sent several times, as ticked checkboxes are. */
  const choose = (b: Browser, kinds: string[], options = {}) =>
    b.request("/account/mail", {
      method: "POST",
      body: new URLSearchParams([...kinds.map((k) => ["on", k]), ["_csrf", b.csrf!]]).toString(),
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      ...options,
    });

  it("turning replies off stops reply mail; an agent who opts in hears of every new ticket", async () => {
    await as.requester.get("/account");
    await as.agent2.get("/account");
    const off = await choose(as.requester, ["receipt", "status"]);
    expect(off.status).toBe(303);
    expect(off.location).toBe("/account#mail");
    const optIn = await choose(as.agent2, ["new_ticket"], { htmx: "partial", target: "mail-form" });
    expect(optIn.status).toBe(200);
    expect(optIn.text).toContain('value="new_ticket" checked');
    expect(optIn.text).toContain("Your email choices were saved.");
    // A requester cannot opt into staff mail by sending its name.
    await choose(as.requester, ["receipt", "status", "new_ticket"]);
    expect(await t.db.mailSetting.count({ where: { userId: requester.id, kind: "new_ticket" } })).toBe(0);

    const id = await openTicket("Opted");
    await as.agent.post(`/tickets/${id}/replies`, { body: "An answer Rita asked not to be mailed." });
    await as.agent.post(`/tickets/${id}/triage`, {
      status: "Waiting",
      priority: "Medium",
      assignee: "",
      version: await version(id),
    });
    expect((await waiting(id)).map((r) => [r.kind, r.toAddress])).toEqual([
      ["receipt", "rita@example.com"],
      ["new_ticket", "sam@example.com"],
      ["waiting", "rita@example.com"],
    ]);
    await choose(as.requester, ["receipt", "reply", "status"]);
    expect(await t.db.mailSetting.count({ where: { userId: requester.id, enabled: true } })).toBe(3);
    await choose(as.agent2, []);
    expect(await t.db.mailSetting.count({ where: { userId: agent2.id, enabled: true } })).toBe(0);
  });
});

describe("delivery", () => {
  it("a server that answers 451 twice and then accepts: sent once, on the third try", async () => {
    const id = await openTicket("Retry me");
    smtp.answers.push({ code: 451, text: "4.3.0 Try again later" }, { code: 451, text: "4.3.0 Still busy" });
    await worker.runOnce();
    let row = (await waiting(id))[0]!;
    expect([row.status, row.attempts, row.lastError]).toEqual(["waiting", 1, "451 4.3.0 Try again later"]);
    // Not due yet: the first wait is 30 to 90 s (60 s with jitter).
    await worker.runOnce();
    expect((await waiting(id))[0]!.attempts).toBe(1);
    t.clock.advance(91_000);
    await worker.runOnce();
    row = (await waiting(id))[0]!;
    expect([row.status, row.attempts, row.lastError]).toEqual(["waiting", 2, "451 4.3.0 Still busy"]);
    t.clock.advance(181_000);
    await worker.runOnce();
    row = (await waiting(id))[0]!;
    expect([row.status, row.attempts, row.lastError]).toEqual(["sent", 3, null]);
    expect(smtp.received.map((m) => m.parsed.messageId)).toEqual([row.messageId]);
  });

  it("a 550 fails at once with the server's reason, shown to admins, who can try again", async () => {
    const id = await openTicket("Refused");
    smtp.answers.push({ code: 550, text: "5.1.1 No such mailbox here" });
    await worker.runOnce();
    const row = (await waiting(id))[0]!;
    expect([row.status, row.attempts, row.lastError]).toEqual(["failed", 1, "550 5.1.1 No such mailbox here"]);
    const page = await as.admin.get("/admin/outbox?status=failed");
    expect(page.status).toBe(200);
    const line = section(page.text, `message-${row.id}`);
    expect(line).toContain("Failed");
    expect(line).toContain("550 5.1.1 No such mailbox here");
    expect(line).toContain(`action="/admin/outbox/${row.id}/retry"`);
    const again = await as.admin.post(`/admin/outbox/${row.id}/retry`, {}, { htmx: "partial" });
    expect(again.status).toBe(200);
    expect(again.text).toContain(`id="message-${row.id}"`);
    expect(again.text).toContain("will be sent again");
    await worker.runOnce();
    expect((await waiting(id))[0]!.status).toBe("sent");
    expect(smtp.received).toHaveLength(1);
  });

  it("gives up after MAIL_MAX_ATTEMPTS transient failures, keeping the last error", async () => {
    const id = await openTicket("Never");
    for (let i = 0; i < 4; i++) smtp.answers.push({ code: 421, text: `4.7.0 Busy ${i + 1}` });
    for (let i = 0; i < 4; i++) {
      await worker.runOnce();
      t.clock.advance(3_600_000);
    }
    const row = (await waiting(id))[0]!;
    expect([row.status, row.attempts, row.lastError]).toEqual(["failed", 4, "421 4.7.0 Busy 4"]);
  });

  it("a server that cannot be reached is a transient failure", async () => {
    const id = await openTicket("Unreachable");
    const nowhere = new MailWorker(
      { ...t.deps, config: { ...t.config, mail: { ...t.config.mail, smtpUrl: "smtp://127.0.0.1:1" } } },
      smtpSender({ ...t.config, mail: { ...t.config.mail, smtpUrl: "smtp://127.0.0.1:1" } }),
    );
    await nowhere.runOnce();
    const row = (await waiting(id))[0]!;
    expect(row.status).toBe("waiting");
    expect(row.lastError).toMatch(/ECONNREFUSED/);
  });

  it("two workers on one database never send the same message; a lease that ran out is taken over", async () => {
    const ids: number[] = [];
    for (let i = 0; i < 12; i++) ids.push(await openTicket(`Parallel ${i}`));
    const other = new MailWorker(t.deps, smtpSender(t.config));
    await Promise.all([worker.runOnce(), other.runOnce(), worker.runOnce(), other.runOnce()]);
    const got = smtp.received.map((m) => m.parsed.messageId);
    expect(got).toHaveLength(12);
    expect(new Set(got).size).toBe(12);

    // A worker that claimed and died: nobody else takes the row until its lease runs out.
    const lost = await openTicket("Claimed by a worker that died");
    const [held] = await claim(t.deps, "dead-worker", 1);
    expect(held!.ticketId).toBe(lost);
    await worker.runOnce();
    expect((await waiting(lost))[0]!.status).toBe("sending");
    t.clock.advance(t.config.mail.leaseMs + 1000);
    await worker.runOnce();
    const row = (await waiting(lost))[0]!;
    expect([row.status, row.attempts]).toEqual(["sent", 2]);
  });
});

describe("a worker told to stop (SIGTERM)", () => {
  it("finishes the message it is sending and gives back the rest, uncounted", async () => {
    const ids = [await openTicket("Stop 1"), await openTicket("Stop 2"), await openTicket("Stop 3")];
    const send = smtpSender(t.config)!;
    let stopped: Promise<void> | undefined;
    const stopping = new MailWorker(t.deps, async (row) => {
      stopped ??= stopping.stop();
      await send(row);
    });
    const counts = await stopping.runOnce();
    await stopped;
    expect(counts).toEqual({ sent: 1, failed: 0, released: 2 });
    const rows = await t.db.outboxMessage.findMany({ where: { ticketId: { in: ids } }, orderBy: { id: "asc" } });
    expect(rows.map((r) => [r.status, r.attempts, r.leaseOwner])).toEqual([
      ["sent", 1, null],
      ["waiting", 0, null],
      ["waiting", 0, null],
    ]);
    await worker.runOnce();
    expect(smtp.received).toHaveLength(3);
  });
});

describe("no SMTP server: messages are kept and readable", () => {
  it("marks them kept, and admins read them on /admin/outbox", async () => {
    const id = await openTicket("Kept");
    await new MailWorker(t.deps, null).runOnce();
    const row = (await waiting(id))[0]!;
    expect(row.status).toBe("kept");
    const list = await as.admin.get("/admin/outbox?status=kept");
    expect(section(list.text, `message-${row.id}`)).toContain("Kept, not sent");
    const one = await as.admin.get(`/admin/outbox/${row.id}`);
    expect(one.status).toBe(200);
    expect(one.text).toContain(`Its number is #${id}`);
    expect(one.text).toContain(row.messageId.replace(/</g, "&lt;").replace(/>/g, "&gt;"));
  });

  it("the outbox is for admins only; unknown messages are 404", async () => {
    expect((await as.agent.get("/admin/outbox")).status).toBe(403);
    expect((await as.requester.get("/admin/outbox/1")).status).toBe(403);
    expect((await as.agent.post("/admin/outbox/1/retry")).status).toBe(403);
    expect((await as.admin.get("/admin/outbox/999999")).status).toBe(404);
    expect((await as.admin.get("/admin/outbox/99999999999")).status).toBe(404);
    expect((await as.admin.post("/admin/outbox/999999/retry")).status).toBe(404);
    expect((await as.admin.get("/admin/outbox?status=bogus&before=x")).status).toBe(200);
  });
});
