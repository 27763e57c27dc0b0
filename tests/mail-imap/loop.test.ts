import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { startMail } from "../../src/mail/start.js";
import { Audit, launchChromium, MODES, newPage, type Server, signIn, startServer, step } from "../e2e/harness.js";
import { createUser, PASSWORD } from "../helpers/app.js";
import { eml, mailbox } from "../helpers/imap.js";
import { arrived, header, startSmtp, type TestSmtp } from "../helpers/smtp.js";

// The whole loop, in Chromium with JavaScript off and on: an agent replies on the ticket page; the
// reply arrives at a real SMTP server; the requester answers that email as a mail client would
// (to its Reply-To, threaded, quoting it), delivered into a real IMAP server (Dovecot); the app
// takes it from there, and the answer is on the ticket page with the quoted text cut.

const FOLDER = `Loop${process.pid}`;
const audit = new Audit();
let server: Server;
let browser: Browser;
let smtp: TestSmtp;
let mail: { stop: () => Promise<void> };
let box: Awaited<ReturnType<typeof mailbox>>;

beforeAll(async () => {
  smtp = await startSmtp();
  server = await startServer({
    SMTP_URL: smtp.url,
    MAIL_FROM: "Help Desk <help@desk.example>",
    MAIL_POLL_SECONDS: "0.2",
    IMAP_URL: inject("imapUrl"),
    IMAP_FOLDER: FOLDER,
    IMAP_DONE_FOLDER: `${FOLDER}-done`,
    IMAP_FAILED_FOLDER: `${FOLDER}-failed`,
    IMAP_POLL_SECONDS: "0.5",
  });
  mail = startMail(server.t.deps);
  box = await mailbox(inject("imapUrl"));
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await mail?.stop();
  await box?.close();
  await server?.close();
  await smtp?.close();
});

describe.each(MODES)("reply by email with JavaScript $name", (mode) => {
  it("an agent's reply goes out by SMTP; the requester's emailed answer comes back through IMAP onto the page", async () => {
    const { db } = server.t;
    const requester = await createUser(db, { name: `Rene ${mode.name}`, email: `rene-${mode.name}@example.com` });
    const agent = await createUser(db, { role: "agent", name: `Kai ${mode.name}` });
    const ticket = await db.ticket.create({
      data: {
        subject: `Card reader ${mode.name}`,
        description: "The card reader beeps twice.",
        requesterId: requester.id,
      },
    });
    const { context, page } = await newPage(browser, mode, audit);
    await step(page, "the agent replies on the page", async () => {
      await page.goto(`${server.url}/login?next=/tickets/${ticket.id}`);
      await signIn(page, agent.email, PASSWORD);
      await page.getByLabel("Your message").fill("Does it beep with every card, or only yours?");
      await page.getByRole("button", { name: "Send reply" }).click();
      await page.getByText("Does it beep with every card").first().waitFor();
    });
    const sent = await arrived(smtp, requester.email);
    expect(sent.parsed.subject).toBe(`Re: [#${ticket.id}] Card reader ${mode.name}`);
    const replyTo = sent.parsed.replyTo![0]!.address!;
    expect(replyTo).toMatch(new RegExp(`^help\\+t${ticket.id}\\.u\\d+\\.[a-z2-7]{16}@desk\\.example$`));
    expect(header(sent, "auto-submitted")).toBe("auto-generated");

    // The requester's mail client answers: to the Reply-To, threaded, the agent's text quoted.
    const quotedText = sent.parsed
      .text!.split("\n")
      .map((line) => `> ${line}`)
      .join("\n");
    const answer = eml({
      from: `Rene <${requester.email}>`,
      to: `Help Desk <${replyTo}>`,
      subject: `Re: ${sent.parsed.subject}`,
      headers: {
        "In-Reply-To": sent.parsed.messageId!,
        References: `${header(sent, "references")} ${sent.parsed.messageId}`,
      },
      body: `Only with mine, every time.\n\nOn Thu, 26 Nov 2026, Kai ${mode.name} via Help Desk <help@desk.example> wrote:\n${quotedText}`,
    });
    await box.append(FOLDER, answer.raw);

    await step(page, "the answer appears on the ticket page, quoted text cut", async () => {
      const end = Date.now() + 30_000;
      for (;;) {
        await page.goto(`${server.url}/tickets/${ticket.id}`);
        if (await page.getByText("Only with mine, every time.").count()) break;
        if (Date.now() > end) throw new Error("the emailed answer never appeared");
        await page.waitForTimeout(300);
      }
      const item = page.locator(".thread li").filter({ hasText: "Only with mine, every time." });
      await expect(item.locator(".reply-body").first().textContent()).resolves.toBe("Only with mine, every time.");
      expect(await item.locator(".meta").textContent()).toContain(`Rene ${mode.name}`);
      // Staff can still read the whole email, quoted history and all.
      expect(await item.locator("details.whole-email").count()).toBe(1);
      if (mode.javaScriptEnabled) await audit.axe(page, "ticket with an emailed answer");
    });
    await context.close();
    const reply = await db.reply.findFirstOrThrow({ where: { ticketId: ticket.id, authorId: requester.id } });
    expect(reply.body).toBe("Only with mine, every time.");
    expect(reply.emailText).toContain("> Does it beep with every card");
  });
});

describe("every page visited", () => {
  it("has no axe violations and logs no script error", () => {
    expect(audit.axeRuns).toBeGreaterThanOrEqual(1);
    expect(audit.violations, JSON.stringify(audit.violations, null, 2)).toEqual([]);
    const errors = audit.consoleErrors.filter(
      (e) => !/Failed to load resource: the server responded with a status of 4\d\d/.test(e),
    );
    expect(errors).toEqual([]);
  });
});
