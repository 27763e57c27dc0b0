import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { replyAddress } from "../../src/mail/addresses.js";
import { ImapPoller } from "../../src/mail/imap.js";
import { createUser, type TestApp, testApp } from "../helpers/app.js";
import { eml, mailbox } from "../helpers/imap.js";

// Incoming mail through a real IMAP server (Debian's Dovecot, started by the suite's set-up),
// fed with IMAP APPEND: each test file polls its own folder of the one mailbox.

const FOLDER = `Imap${process.pid}`;
let t: TestApp;
let box: Awaited<ReturnType<typeof mailbox>>;
let poller: ImapPoller;

beforeAll(async () => {
  t = await testApp({
    MAIL_FROM: "Desk <support@desk.example>",
    IMAP_URL: inject("imapUrl"),
    IMAP_FOLDER: FOLDER,
    IMAP_DONE_FOLDER: `${FOLDER}-done`,
    IMAP_FAILED_FOLDER: `${FOLDER}-failed`,
    MAIL_MAX_INCOMING_KB: "64",
  });
  box = await mailbox(inject("imapUrl"));
  poller = new ImapPoller(t.deps);
});
afterAll(async () => {
  await poller.stop();
  await box.close();
  await t.close();
});

const deliver = async (mail: { raw: string }) => box.append(FOLDER, mail.raw);
const quoted = (text: string) =>
  `${text}\n\nOn Thu, 26 Nov 2026 at 09:00, Desk <support@desk.example> wrote:\n> We answered your ticket.\n> Please restart it.\n`;

describe("polling a mailbox", () => {
  it("files every message, moves it out of the folder, and never takes it twice", async () => {
    const mail = eml({ from: "Una Unknown <una@example.org>", subject: "Heating in room 4", body: "It is cold." });
    await deliver(mail);
    expect(await poller.pollOnce()).toEqual({ taken: 1, failed: 0 });
    const ticket = await t.db.ticket.findFirstOrThrow({
      where: { subject: "Heating in room 4" },
      include: { requester: true },
    });
    // From is a claim: the ticket is a guest's in Una's name until her address confirms it.
    expect([ticket.claimedEmail, ticket.requester.email.endsWith("@guest.invalid")]).toEqual(["una@example.org", true]);
    expect(await box.count(FOLDER)).toBe(0);
    expect(await box.count(`${FOLDER}-done`)).toBe(1);
    // Polling again (a restart) finds nothing; the same message delivered again changes nothing.
    expect(await poller.pollOnce()).toEqual({ taken: 0, failed: 0 });
    await deliver(mail);
    expect(await poller.pollOnce()).toEqual({ taken: 0, failed: 0 });
    expect(await t.db.ticket.count({ where: { subject: "Heating in room 4" } })).toBe(1);
    // A message taken before is left to the poller that took it (it moves it)...
    expect(await box.count(FOLDER)).toBe(1);
    // ...unless it is still here long after: that poller died before moving it.
    t.clock.advance(6 * 60_000);
    await poller.pollOnce();
    expect(await box.count(FOLDER)).toBe(0);
    expect(await box.count(`${FOLDER}-done`)).toBe(2);
  });

  it("a signed address speaks as its person; References, [#id] and a forged staff From only make unverified notes", async () => {
    const requester = await createUser(t.db, { email: "rosa@example.com" });
    const id = (
      await t.db.ticket.create({
        data: { subject: "Locker", description: "Locker 12 is stuck.", requesterId: requester.id },
      })
    ).id;
    const root = `<ticket-${id}-x@desk.example>`;
    await t.db.outboxMessage.create({
      data: {
        messageId: "<sent-1@desk.example>",
        kind: "reply",
        ticketId: id,
        toAddress: requester.email,
        subject: "s",
        text: "t",
        html: "h",
      },
    });
    await deliver(
      eml({
        from: "rosa@example.com",
        to: replyAddress(t.config, id, requester.id),
        subject: `Re: [#${id}] Locker`,
        body: quoted("Still stuck."),
      }),
    );
    await deliver(
      eml({
        from: "rosa@example.com",
        subject: "Re: Locker",
        body: "By references.",
        headers: { "In-Reply-To": "<sent-1@desk.example>", References: `${root} <sent-1@desk.example>` },
      }),
    );
    await deliver(eml({ from: "rosa@example.com", subject: `[#${id}] Locker`, body: "By number." }));
    await deliver(eml({ from: "ivan@example.org", subject: `[#${id}] Locker`, body: "Not my ticket." }));
    await createUser(t.db, { email: "alex@desk.example", role: "agent", name: "Alex Agent" });
    await deliver(eml({ from: "alex@desk.example", subject: `Re: [#${id}] Locker`, body: "Forged agent." }));
    expect(await poller.pollOnce()).toEqual({ taken: 5, failed: 0 });
    const replies = await t.db.reply.findMany({
      where: { ticketId: id },
      orderBy: { id: "asc" },
      include: { author: true },
    });
    expect(replies.map((r) => [r.internal, r.author.email, r.body.split("\n\n").at(-1)])).toEqual([
      [false, "rosa@example.com", "Still stuck."],
      [true, "unverified-mail@guest.invalid", "By references."],
      [true, "unverified-mail@guest.invalid", "By number."],
      [true, "unverified-mail@guest.invalid", "Not my ticket."],
      [true, "unverified-mail@guest.invalid", "Forged agent."],
    ]);
    expect(replies[0]!.emailText).toContain("> Please restart it.");
    // Nothing of the unverified mail went out: no reply mail to Rosa (but the one the test made).
    expect(
      await t.db.outboxMessage.count({
        where: { ticketId: id, kind: "reply", messageId: { not: "<sent-1@desk.example>" } },
      }),
    ).toBe(0);
  });

  it("auto-replies and loops are filed as ignored; a too-large message goes to the failed folder, reported", async () => {
    await deliver(
      eml({
        from: "away@example.org",
        subject: "Out of office",
        body: "Away.",
        headers: { "Auto-Submitted": "auto-replied" },
      }),
    );
    await deliver(eml({ from: "support@desk.example", subject: "Loop", body: "Ourselves." }));
    const big = eml({ from: "scan@example.org", subject: "Big scan", body: "z".repeat(80 * 1024) });
    await deliver(big);
    expect(await poller.pollOnce()).toEqual({ taken: 2, failed: 1 });
    expect(await t.db.ticket.count({ where: { subject: { in: ["Out of office", "Loop", "Big scan"] } } })).toBe(0);
    expect(await box.count(`${FOLDER}-failed`)).toBe(1);
    const failed = await t.db.inboundMessage.findUniqueOrThrow({ where: { messageId: big.id } });
    expect([failed.outcome, failed.reason]).toEqual(["failed", expect.stringMatching(/too large/)]);
    const ignored = await t.db.inboundMessage.findMany({ where: { outcome: "ignored" } });
    expect(ignored.map((r) => r.subject).sort()).toEqual(["Loop", "Out of office"]);
  });

  it("takes new mail within seconds while it waits (IDLE), and stops cleanly", async () => {
    const fast = new ImapPoller({
      ...t.deps,
      config: { ...t.config, mail: { ...t.config.mail, imap: { ...t.config.mail.imap!, pollMs: 60_000 } } },
    }).start();
    await new Promise((r) => setTimeout(r, 1000));
    await deliver(eml({ from: "idle@example.org", subject: "Arrives while idle", body: "Hello." }));
    // The poll interval is a minute: taken well before it, so the server's IDLE word woke the poller
    // (imapflow enters IDLE after 15 s of quiet).
    const until = Date.now() + 30_000;
    while (!(await t.db.ticket.count({ where: { subject: "Arrives while idle" } }))) {
      if (Date.now() > until) throw new Error("not taken while idle");
      await new Promise((r) => setTimeout(r, 100));
    }
    await fast.stop();
    // Stopped: mail delivered now stays in the folder.
    await deliver(eml({ from: "idle@example.org", subject: "After the stop", body: "Hello?" }));
    await new Promise((r) => setTimeout(r, 1000));
    expect(await box.count(FOLDER)).toBe(1);
    expect(await poller.pollOnce()).toEqual({ taken: 1, failed: 0 });
  });
});
