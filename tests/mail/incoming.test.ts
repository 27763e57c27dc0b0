import { spawn } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CurrentUser } from "../../src/env.js";
import { replyAddress } from "../../src/mail/addresses.js";
import { receiveMail } from "../../src/mail/incoming.js";
import { Browser, browserAs, createUser, SECRET, section, type TestApp, testApp } from "../helpers/app.js";
import { EXE, PDF, PNG } from "../helpers/files.js";
import { eml, emlWithFiles } from "../helpers/imap.js";

// Incoming mail through its parser and matching (the IMAP door is tests/mail-imap/, against
// Dovecot): new tickets, replies found by signed address, References and [#id], quoted history
// cut, loops and auto-replies ignored, broken and oversized mail reported, never taken twice.

let t: TestApp;
let requester: CurrentUser, agent: CurrentUser, admin: CurrentUser;
let as: Record<"requester" | "agent" | "admin", Browser>;
const ENV = {
  MAIL_FROM: "Desk <support@desk.example>",
  MAIL_MAX_INCOMING_KB: "64",
  MAIL_MAX_PER_SENDER_PER_MINUTE: "5",
};

beforeAll(async () => {
  t = await testApp(ENV);
  requester = await createUser(t.db, { name: "Rita Requester", email: "rita@example.com" });
  agent = await createUser(t.db, { name: "Alex Agent", role: "agent", email: "alex@example.com" });
  admin = await createUser(t.db, { name: "Ada Admin", role: "admin", email: "ada@example.com" });
  as = {
    requester: await browserAs(t, requester),
    agent: await browserAs(t, agent),
    admin: await browserAs(t, admin),
  };
});
afterAll(() => t.close());

const quoted = (text: string) =>
  `${text}\n\nOn Thu, 26 Nov 2026 at 09:00, Desk <support@desk.example> wrote:\n> Alex Agent answered your ticket:\n> Please restart it.\n`;

async function ticketByMail(from = "Nadia New <nadia@example.org>", subject = "Re: Wifi at the library") {
  const mail = eml({ from, subject, body: "The wifi drops every ten minutes on the second floor." });
  const result = await receiveMail(t.deps, mail.raw);
  expect(result.outcome).toBe("created");
  return { ...mail, ticketId: (result as { ticketId: number }).ticketId };
}

describe("a new ticket by email", () => {
  it("from an unknown sender: a guest's ticket in the address's name, a receipt in the desk's words alone", async () => {
    const { ticketId, id } = await ticketByMail();
    const ticket = await t.db.ticket.findUniqueOrThrow({ where: { id: ticketId }, include: { requester: true } });
    expect(ticket.subject).toBe("Wifi at the library");
    expect(ticket.description).toBe("The wifi drops every ten minutes on the second floor.");
    // From is a claim: until the address's owner says so, the ticket is nobody's account's.
    expect(ticket.claimedEmail).toBe("nadia@example.org");
    expect(ticket.requester).toMatchObject({ name: "Nadia New", role: "requester", passwordHash: "" });
    expect(ticket.requester.email).toMatch(/@guest\.invalid$/);
    const inbound = await t.db.inboundMessage.findUniqueOrThrow({ where: { messageId: id } });
    expect([inbound.outcome, inbound.ticketId]).toEqual(["created", ticketId]);
    const receipt = await t.db.outboxMessage.findFirstOrThrow({ where: { ticketId } });
    expect([receipt.kind, receipt.toAddress]).toEqual(["receipt", "nadia@example.org"]);
    // Nothing the sender wrote goes back out: not the subject, not the text, not their name.
    for (const part of [receipt.subject, receipt.text, receipt.html])
      for (const theirs of ["Wifi", "second floor", "Nadia"]) expect(part).not.toContain(theirs);
    expect(receipt.subject).toBe(`[#${ticketId}] A request in your name at Desk`);
    // The receipt answers the email that opened the ticket, so it sits in the sender's thread.
    expect(JSON.parse(receipt.headers)).toMatchObject({ inReplyTo: id, references: [id] });
    // Staff see the address marked unconfirmed.
    const staffView = await as.agent.get(`/tickets/${ticketId}`);
    expect(staffView.text).toContain("Gave the address nadia@example.org: not confirmed by its owner yet");
  });

  it("the receipt's link asks; yes makes the ticket the address's own, once, and never on a GET", async () => {
    const { ticketId } = await ticketByMail("Nora <nora@example.org>", "Lost card");
    const receipt = await t.db.outboxMessage.findFirstOrThrow({ where: { ticketId, kind: "receipt" } });
    const link = receipt.text.match(/\/claim\?token=[^\s]+/)![0];
    const owner = new Browser(t);
    for (let i = 0; i < 2; i++) {
      // Mail scanners fetch links: a GET only asks.
      const page = await owner.get(link);
      expect(page.status).toBe(200);
      expect(section(page.text, "claim")).toContain(`Ticket #${ticketId} was opened in the name of nora@example.org`);
    }
    expect((await t.db.ticket.findUniqueOrThrow({ where: { id: ticketId } })).claimedEmail).toBe("nora@example.org");
    const token = decodeURIComponent(link.split("=")[1]!);
    // A token for another ticket, or a made-up one: nothing changes.
    const other = token.replace(/^\d+/, String(ticketId + 1000));
    expect((await owner.post("/claim", { token: other, answer: "yes" })).status).toBe(404);
    const yes = await owner.post("/claim", { token, answer: "yes" });
    expect(yes.status).toBe(200);
    expect(section(yes.text, "claim")).toContain(`Ticket #${ticketId} is among your tickets now`);
    const joined = await t.db.ticket.findUniqueOrThrow({ where: { id: ticketId }, include: { requester: true } });
    expect([joined.claimedEmail, joined.requester.email, joined.requester.name]).toEqual([
      null,
      "nora@example.org",
      "Nora",
    ]);
    const events = await t.db.ticketEvent.findMany({ where: { ticketId }, orderBy: { id: "asc" } });
    expect(events.map((e) => [e.kind, e.toValue, e.actorId])).toEqual([
      ["created", "Medium", joined.requesterId],
      ["claim", "confirmed", joined.requesterId],
    ]);
    // Used, the link is gone; signed in later, the ticket is among their own.
    expect((await owner.post("/claim", { token, answer: "no" })).status).toBe(404);
    expect((await owner.get(link)).status).toBe(404);
    const nora = await browserAs(t, { ...joined.requester, role: "requester" });
    expect((await nora.get("/tickets")).text).toContain("Lost card");
  });

  it("no: the address hears no more of it, and the ticket stays the guest's", async () => {
    const { ticketId } = await ticketByMail("Ned <ned@example.org>", "Buy now");
    const receipt = await t.db.outboxMessage.findFirstOrThrow({ where: { ticketId, kind: "receipt" } });
    const token = decodeURIComponent(receipt.text.match(/\/claim\?token=([^\s]+)/)![1]!);
    const owner = new Browser(t);
    await owner.get(`/claim?token=${encodeURIComponent(token)}`);
    const no = await owner.post("/claim", { token, answer: "no" });
    expect(no.status).toBe(200);
    expect(section(no.text, "claim")).toContain(
      `We will not write to ned@example.org about ticket #${ticketId} again.`,
    );
    const ticket = await t.db.ticket.findUniqueOrThrow({ where: { id: ticketId }, include: { requester: true } });
    expect(ticket.claimedEmail).toBeNull();
    expect(ticket.requester.email).toMatch(/@guest\.invalid$/);
    expect(await t.db.user.count({ where: { email: "ned@example.org" } })).toBe(0);
    // An agent's answer now goes nowhere.
    const before = await t.db.outboxMessage.count({ where: { toAddress: "ned@example.org" } });
    await as.agent.get(`/tickets/${ticketId}`);
    expect((await as.agent.post(`/tickets/${ticketId}/replies`, { body: "Hello?" })).status).toBe(303);
    expect(await t.db.outboxMessage.count({ where: { toAddress: "ned@example.org" } })).toBe(before);
    const history = await as.agent.get(`/tickets/${ticketId}`);
    expect(section(history.text, "history")).toContain("gave an address whose owner said the ticket is not theirs");
  });

  it("an agent's answer to an unconfirmed address carries the agent's words, not the sender's subject", async () => {
    const { ticketId } = await ticketByMail("Pia <pia@example.org>", "Cheap pills here");
    await as.agent.get(`/tickets/${ticketId}`);
    expect((await as.agent.post(`/tickets/${ticketId}/replies`, { body: "Which branch are you at?" })).status).toBe(
      303,
    );
    const reply = await t.db.outboxMessage.findFirstOrThrow({ where: { ticketId, kind: "reply" } });
    expect(reply.toAddress).toBe("pia@example.org");
    expect(reply.subject).toBe(`Re: [#${ticketId}] A request in your name at Desk`);
    expect(reply.text).toContain("Which branch are you at?");
    expect(reply.text).not.toContain("pills");
    // Its link asks "was it you?" first: the ticket's page is not theirs yet.
    expect(reply.text).toContain("/claim?token=");
    expect(reply.text).not.toContain(`/tickets/${ticketId}`);
  });

  it("the same message taken twice, or twice at once, makes one ticket", async () => {
    const mail = eml({ from: "twice@example.org", subject: "Printer", body: "It prints blank pages." });
    const results = await Promise.all([receiveMail(t.deps, mail.raw), receiveMail(t.deps, mail.raw)]);
    expect(results.map((r) => r.outcome).sort()).toEqual(["created", "duplicate"]);
    expect((await receiveMail(t.deps, mail.raw)).outcome).toBe("duplicate");
    expect(await t.db.ticket.count({ where: { claimedEmail: "twice@example.org" } })).toBe(1);
  });

  it("an HTML-only message becomes text", async () => {
    const raw = `From: html@example.org\r\nTo: support@desk.example\r\nSubject: Html\r\nMessage-ID: <html1@x>\r\nMIME-Version: 1.0\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>First &amp; <b>bold</b></p><script>alert(1)</script><p>Second</p>\r\n`;
    const result = await receiveMail(t.deps, raw);
    const ticket = await t.db.ticket.findUniqueOrThrow({ where: { id: (result as { ticketId: number }).ticketId } });
    expect(ticket.description).toBe("First & bold\nSecond");
  });
});

describe("a reply by email finds its ticket", () => {
  it("by the signed reply address: a public reply, quoted history cut, the whole email kept for staff", async () => {
    const id = (
      await t.db.ticket.create({
        data: {
          subject: "Badge",
          description: "My badge does not open the door.",
          requesterId: requester.id,
          assigneeId: agent.id,
        },
      })
    ).id;
    const mail = eml({
      from: "Rita <rita@example.com>",
      to: replyAddress(t.config, id, requester.id),
      subject: `Re: [#${id}] Badge`,
      body: quoted("Restarting did not help."),
    });
    expect(await receiveMail(t.deps, mail.raw)).toEqual({ outcome: "replied", ticketId: id });
    const reply = await t.db.reply.findFirstOrThrow({ where: { ticketId: id } });
    expect(reply.body).toBe("Restarting did not help.");
    expect(reply.internal).toBe(false);
    expect(reply.emailText).toContain("> Please restart it.");
    // The assignee hears of the requester's answer.
    expect(
      await t.db.outboxMessage.count({ where: { ticketId: id, kind: "requester_reply", toAddress: agent.email } }),
    ).toBe(1);
    const staffView = await as.agent.get(`/tickets/${id}`);
    expect(section(staffView.text, `reply-${reply.id}`)).toContain("The whole email");
    const ownView = await as.requester.get(`/tickets/${id}`);
    expect(section(ownView.text, `reply-${reply.id}`)).toContain("Restarting did not help.");
    expect(ownView.text).not.toContain("The whole email");
  });

  it("a forged or other ticket's signed address is not trusted", async () => {
    const mine = (
      await t.db.ticket.create({ data: { subject: "Mine", description: "Mine.", requesterId: requester.id } })
    ).id;
    const forged = `support+t${mine}.u${requester.id}.aaaaaaaaaaaaaaaa@desk.example`;
    const result = await receiveMail(
      t.deps,
      eml({ from: "mallory@example.org", to: forged, subject: "hello", body: "Let me in." }).raw,
    );
    expect(result.outcome).toBe("created");
    expect(await t.db.reply.count({ where: { ticketId: mine } })).toBe(0);
  });

  it("by References to a message we sent, and to their own: an unverified internal note (From proves nothing)", async () => {
    const { ticketId } = await ticketByMail("Omar <omar@example.org>", "Projector");
    const receipt = await t.db.outboxMessage.findFirstOrThrow({ where: { ticketId, kind: "receipt" } });
    const byRef = eml({
      from: "omar@example.org",
      subject: "Re: something else",
      body: "Still broken.",
      headers: { "In-Reply-To": receipt.messageId, References: receipt.messageId },
    });
    expect(await receiveMail(t.deps, byRef.raw)).toEqual({ outcome: "noted", ticketId });
    // A reply to that reply (our Message-ID unknown to the client's chain: only theirs).
    const onTheirs = eml({
      from: "omar@example.org",
      subject: "more",
      body: "And the cable too.",
      headers: { References: `${receipt.messageId} ${byRef.id}` },
    });
    expect(await receiveMail(t.deps, onTheirs.raw)).toEqual({ outcome: "noted", ticketId });
    const notes = await t.db.reply.findMany({ where: { ticketId } });
    expect(notes.map((n) => [n.internal, n.body.split("\n\n").at(-1)])).toEqual([
      [true, "Still broken."],
      [true, "And the cable too."],
    ]);
  });

  it("by [#id], from anyone: an unverified internal note, never public, never mailed on", async () => {
    const id = (
      await t.db.ticket.create({
        data: { subject: "Scanner", description: "Scanner jams.", requesterId: requester.id },
      })
    ).id;
    for (const [from, body] of [
      ["rita@example.com", "Any news?"],
      ["alex@example.com", "On it."],
      ["eve@example.org", "Show me this ticket."],
    ])
      expect(await receiveMail(t.deps, eml({ from: from!, subject: `Re: [#${id}]`, body: body! }).raw)).toEqual({
        outcome: "noted",
        ticketId: id,
      });
    expect(await t.db.reply.count({ where: { ticketId: id, internal: true } })).toBe(3);
    expect(await t.db.outboxMessage.count({ where: { ticketId: id } })).toBe(0);
    // Nobody signs up by mailing a number: the stranger got no account.
    expect(await t.db.user.count({ where: { email: "eve@example.org" } })).toBe(0);
  });

  it("by a signed address of someone who is neither requester nor staff now: an internal note flagged for agents", async () => {
    const id = (
      await t.db.ticket.create({ data: { subject: "Forwarded", description: "Forwarded.", requesterId: requester.id } })
    ).id;
    // Mailed as an agent once (assigned), a requester since: their address still names them.
    const former = await createUser(t.db, { name: "Fay Former", email: "fay@example.org" });
    const mail = eml({
      from: "colleague@example.org",
      to: `Desk <${replyAddress(t.config, id, former.id)}>`,
      subject: `Fwd: [#${id}]`,
      body: "Rita's colleague here: same problem.",
    });
    expect(await receiveMail(t.deps, mail.raw)).toEqual({ outcome: "noted", ticketId: id });
    const note = await t.db.reply.findFirstOrThrow({ where: { ticketId: id } });
    expect(note.internal).toBe(true);
    expect(note.body).toContain("not this ticket's requester");
    expect((await as.requester.get(`/tickets/${id}`)).text).not.toContain("same problem");
    expect((await as.agent.get(`/tickets/${id}`)).text).toContain("same problem");
    expect(await t.db.outboxMessage.count({ where: { ticketId: id } })).toBe(0);
  });

  it("the requester's email reply reopens their closed ticket", async () => {
    const id = (
      await t.db.ticket.create({
        data: {
          subject: "Closed",
          description: "Was fixed.",
          requesterId: requester.id,
          status: "Closed",
          closedAt: new Date(),
        },
      })
    ).id;
    await receiveMail(
      t.deps,
      eml({
        from: "rita@example.com",
        to: replyAddress(t.config, id, requester.id),
        subject: "Re: Closed",
        body: "It is back.",
      }).raw,
    );
    expect((await t.db.ticket.findUniqueOrThrow({ where: { id } })).status).toBe("Open");
  });
});

describe("files that come by email", () => {
  it("attaches what passes the form's checks, to the new ticket or the reply, and names what did not", async () => {
    const mail = emlWithFiles({
      from: "Rita Requester <rita@example.com>",
      subject: "Scanner jams",
      body: "Photo of the jam attached.",
      files: [
        { name: "jam.png", type: "image/png", bytes: PNG },
        { name: "invoice.pdf", type: "application/pdf", bytes: EXE },
      ],
    });
    const made = await receiveMail(t.deps, mail.raw);
    expect(made.outcome).toBe("created");
    const ticketId = (made as { ticketId: number }).ticketId;
    const ticket = await t.db.ticket.findUniqueOrThrow({ where: { id: ticketId }, include: { attachments: true } });
    expect(ticket.attachments.map((f) => [f.name, f.type, f.replyId])).toEqual([["jam.png", "image/png", null]]);
    expect(ticket.description).toContain("Photo of the jam attached.");
    expect(ticket.description).toContain("[Not attached: “invoice.pdf” is a file of a type this desk does not take");

    // Answered through the receipt's signed address: Rita has shown the address is hers, so the
    // ticket joins her account and the answer is a reply.
    const receipt = await t.db.outboxMessage.findFirstOrThrow({ where: { ticketId, kind: "receipt" } });
    const reply = emlWithFiles({
      from: "Rita Requester <rita@example.com>",
      to: JSON.parse(receipt.headers).replyTo,
      subject: "Re: [#1] Scanner jams",
      body: "And the manual.",
      files: [{ name: "manual.pdf", type: "application/octet-stream", bytes: PDF }],
    });
    expect((await receiveMail(t.deps, reply.raw)).outcome).toBe("replied");
    const files = await t.db.attachment.findMany({ where: { ticketId, replyId: { not: null } } });
    expect(files.map((f) => [f.name, f.type])).toEqual([["manual.pdf", "application/pdf"]]);
    const page = await as.requester.get(`/tickets/${ticketId}`);
    expect(page.text).toContain("manual.pdf");
    expect(page.text).toContain("jam.png");
  });
});

describe("mail that makes no change says why", () => {
  it("ignores auto-replies, bulk mail, lists, our own address and bounces", async () => {
    const cases: [Record<string, string>, string, RegExp][] = [
      [{ "Auto-Submitted": "auto-replied" }, "someone@example.org", /Auto-Submitted: auto-replied/],
      [{ Precedence: "bulk" }, "someone@example.org", /Precedence: bulk/],
      [{ "X-Autoreply": "yes" }, "someone@example.org", /auto-reply header/],
      [{ "List-Id": "<news.example.org>" }, "someone@example.org", /List-Id/],
      [{}, "support@desk.example", /loop/],
      [{}, replyAddress(t.config, 1, 1), /loop/],
      [{}, "MAILER-DAEMON@mx.example.org", /delivery report/],
    ];
    for (const [headers, from, reason] of cases) {
      const mail = eml({ from, subject: "Out of office", body: "I am away.", headers });
      const result = await receiveMail(t.deps, mail.raw);
      expect(result.outcome).toBe("ignored");
      const row = await t.db.inboundMessage.findUniqueOrThrow({ where: { messageId: mail.id } });
      expect([row.outcome, row.reason]).toEqual(["ignored", expect.stringMatching(reason)]);
    }
    expect(await t.db.ticket.count({ where: { subject: "Out of office" } })).toBe(0);
    // Auto-Submitted: no is a person.
    expect(
      (
        await receiveMail(
          t.deps,
          eml({ from: "person@example.org", subject: "Hi", body: "A person.", headers: { "Auto-Submitted": "no" } })
            .raw,
        )
      ).outcome,
    ).toBe("created");
  });

  it("more than N messages a minute from one sender is a loop: the rest are ignored", async () => {
    const outcomes = [];
    for (let i = 0; i < 7; i++)
      outcomes.push(
        (await receiveMail(t.deps, eml({ from: "flood@example.org", subject: `Flood ${i}`, body: "Again." }).raw))
          .outcome,
      );
    expect(outcomes).toEqual(["created", "created", "created", "created", "created", "ignored", "ignored"]);
    t.clock.advance(61_000);
    expect(
      (await receiveMail(t.deps, eml({ from: "flood@example.org", subject: "Later", body: "Calm now." }).raw)).outcome,
    ).toBe("created");
  });

  it("too large or without a sender: not taken, recorded with the reason, listed for admins", async () => {
    const big = eml({ from: "big@example.org", subject: "Huge scan", body: "x".repeat(70 * 1024) });
    const result = await receiveMail(t.deps, big.raw);
    expect(result).toEqual({
      outcome: "failed",
      reason: expect.stringMatching(/too large: 71 KB, the limit is 64 KB/),
    });
    const noFrom = `To: support@desk.example\r\nSubject: Nobody\r\nMessage-ID: <nofrom@x>\r\n\r\nWho am I?\r\n`;
    expect((await receiveMail(t.deps, noFrom)).outcome).toBe("failed");
    const page = await as.admin.get("/admin/inbox?outcome=failed");
    expect(page.status).toBe(200);
    expect(page.text).toContain("Huge scan");
    expect(page.text).toContain("too large: 71 KB");
    expect(page.text).toContain("no sender address");
    expect((await as.agent.get("/admin/inbox")).status).toBe(403);
    const all = await as.admin.get("/admin/inbox?outcome=nonsense&before=abc");
    expect(all.status).toBe(200);
  });
});

describe("npm run mail:receive: the pipe from a mail server", () => {
  const pipe = (raw: string) =>
    new Promise<{ code: number | null; out: string }>((resolve) => {
      const child = spawn(process.execPath, ["--import", "tsx", "src/cli/mail-receive.ts"], {
        env: { ...process.env, ...ENV, DATABASE_URL: t.config.databaseUrl, AUTH_SECRET: SECRET, NODE_ENV: "test" },
        stdio: ["pipe", "pipe", "pipe"],
      });
      let out = "";
      child.stdout.on("data", (d) => (out += d));
      child.stderr.on("data", (d) => (out += d));
      child.on("exit", (code) => resolve({ code, out }));
      child.stdin.end(raw);
    });

  it("files a message (exit 0), and refuses one too large with exit 65 and the reason", async () => {
    const mail = eml({ from: "piped@example.org", subject: "Piped in", body: "Through Postfix." });
    const ok = await pipe(mail.raw);
    expect(ok.code).toBe(0);
    expect(ok.out).toContain('"outcome":"created"');
    expect(await t.db.ticket.count({ where: { subject: "Piped in" } })).toBe(1);
    expect((await pipe(mail.raw)).out).toContain('"outcome":"duplicate"');
    const big = await pipe(eml({ from: "piped@example.org", subject: "Too big", body: "y".repeat(100 * 1024) }).raw);
    expect(big.code).toBe(65);
    expect(big.out).toContain("Hyperdesk did not take this message: too large");
  }, 60_000);

  it("takes a forged agent's From as nobody: an unverified note, nothing mailed", async () => {
    const id = (
      await t.db.ticket.create({ data: { subject: "Piped", description: "Piped.", requesterId: requester.id } })
    ).id;
    const forged = eml({
      from: "Alex Agent <alex@example.com>",
      subject: `Re: [#${id}]`,
      body: "Reply with your PIN.",
    });
    const piped = await pipe(forged.raw);
    expect([piped.code, piped.out]).toEqual([0, expect.stringContaining('"outcome":"noted"')]);
    const [note] = await t.db.reply.findMany({ where: { ticketId: id }, include: { author: true } });
    expect([note!.internal, note!.author.email]).toEqual([true, "unverified-mail@guest.invalid"]);
    expect(await t.db.outboxMessage.count({ where: { ticketId: id } })).toBe(0);
  }, 60_000);
});

describe("hostile headers", () => {
  it("an absurdly long Message-ID or References list is filed, never stuck", async () => {
    const long = `<${"x".repeat(5000)}@example.org>`;
    const refs = Array.from({ length: 500 }, (_, i) => `<r${i}@example.org>`).join(" ");
    const mail = eml({
      from: "hostile@example.org",
      subject: "Long ids",
      body: "Hello.",
      id: long,
      headers: { References: refs },
    });
    const result = await receiveMail(t.deps, mail.raw);
    expect(result.outcome).toBe("created");
    const row = await t.db.inboundMessage.findFirstOrThrow({ where: { fromAddress: "hostile@example.org" } });
    expect(row.messageId).toMatch(/^<sha256-[0-9a-f]{64}@hyperdesk\.invalid>$/);
    expect((await receiveMail(t.deps, mail.raw)).outcome).toBe("duplicate");
  });
});

describe("many files that are not taken", () => {
  it("names five and counts the rest, and the description stays within its cap", async () => {
    const roomy = await testApp({ MAIL_FROM: "Desk <support@desk.example>", ATTACHMENT_MAX_FILES: "2" });
    try {
      const files = Array.from({ length: 3_000 }, (_, i) => ({
        name: `tiny-${i}-${"n".repeat(40)}.exe`,
        type: "application/octet-stream",
        bytes: EXE,
      }));
      const mail = emlWithFiles({
        from: "Many <many@example.org>",
        subject: "Many files",
        body: "y".repeat(60_000),
        files,
      });
      const made = await receiveMail(roomy.deps, mail.raw);
      expect(made.outcome).toBe("created");
      const ticket = await roomy.db.ticket.findUniqueOrThrow({
        where: { id: (made as { ticketId: number }).ticketId },
      });
      expect(ticket.description.length).toBeLessThanOrEqual(50_100);
      expect(ticket.description).toContain("and 2,995 more files]");
      expect(ticket.description.match(/tiny-\d+-/g)?.length).toBe(5);
    } finally {
      await roomy.close();
    }
  }, 60_000);
});
