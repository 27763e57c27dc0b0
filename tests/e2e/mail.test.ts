import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { receiveMail } from "../../src/mail/incoming.js";
import { smtpSender } from "../../src/mail/transport.js";
import { MailWorker } from "../../src/mail/worker.js";
import { openTicket } from "../../src/tickets/open.js";
import { createUser, PASSWORD } from "../helpers/app.js";
import { arrived as arrivedAt, header, startSmtp, type TestSmtp } from "../helpers/smtp.js";
import {
  Audit,
  describeAudit,
  launchChromium,
  MODES,
  newPage,
  type Server,
  signIn,
  startServer,
  step,
} from "./harness.js";

// Email from the browser's side, JavaScript off and on: a person chooses what they get on
// /account, an agent's reply on the page arrives at a real SMTP server threaded under the receipt,
// and an admin finds a refused message on /admin/outbox and tries it again.

const audit = new Audit();
let server: Server;
let browser: Browser;
let smtp: TestSmtp;
let worker: MailWorker;

beforeAll(async () => {
  smtp = await startSmtp();
  server = await startServer({
    SMTP_URL: smtp.url,
    MAIL_FROM: "Help Desk <help@desk.example>",
    MAIL_POLL_SECONDS: "0.1",
  });
  worker = new MailWorker(server.t.deps, smtpSender(server.t.config)).start();
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await worker?.stop();
  await server?.close();
  await smtp?.close();
});

const arrived = (to: string, subject: RegExp) => arrivedAt(smtp, to, subject);

describe.each(MODES)("email with JavaScript $name", (mode) => {
  const js = mode.javaScriptEnabled;

  it("a requester turns status mail off; an agent's reply arrives threaded, the Waiting does not", async () => {
    const { db } = server.t;
    const requester = await createUser(db, { name: `Robin ${mode.name}`, email: `robin-${mode.name}@example.com` });
    const agent = await createUser(db, { role: "agent", name: `Casey ${mode.name}` });
    const { context, page } = await newPage(browser, mode, audit);
    await step(page, "choose the emails on /account", async () => {
      await page.goto(`${server.url}/login?next=/account`);
      await signIn(page, requester.email, PASSWORD);
      const box = page.getByLabel("When my ticket waits for my answer or is closed");
      expect(await box.isChecked()).toBe(true);
      await box.uncheck();
      await page.getByRole("button", { name: "Save email choices" }).click();
      await page.getByText("Your email choices were saved.").waitFor();
      if (js) await audit.axe(page, "account with email choices");
      await page.reload();
      expect(await page.getByLabel("When my ticket waits for my answer or is closed").isChecked()).toBe(false);
      expect(await page.getByLabel("Answers from the desk on my tickets").isChecked()).toBe(true);
    });
    let id = 0;
    await step(page, "open a ticket: the receipt arrives", async () => {
      await page.goto(`${server.url}/tickets/new`);
      await page.getByLabel("Subject").fill(`Scanner offline ${mode.name}`);
      await page.getByLabel("Description").fill("The scanner at the front desk shows offline.");
      await page.getByRole("button", { name: "Open ticket" }).click();
      await page.getByRole("heading", { name: new RegExp(`Scanner offline ${mode.name}`) }).waitFor();
      id = Number(new URL(page.url()).pathname.split("/").at(-1));
      const receipt = await arrived(requester.email, new RegExp(`^\\[#${id}\\]`));
      expect(receipt.parsed.text).toContain(`Its number is #${id}`);
    });
    await context.close();

    const agentSide = await newPage(browser, mode, audit);
    await step(agentSide.page, "the agent replies on the page and sets Waiting", async () => {
      const p = agentSide.page;
      await p.goto(`${server.url}/login?next=/tickets/${id}`);
      await signIn(p, agent.email, PASSWORD);
      await p.getByLabel("Your message").fill("Please switch it off and on; tell us if it comes back.");
      await p.getByRole("button", { name: "Send reply" }).click();
      await p.getByText("Please switch it off and on").first().waitFor();
      await p.getByLabel("Status").selectOption("Waiting");
      await p.getByRole("button", { name: "Save changes" }).click();
      await p.getByText("Saved: status Waiting.").first().waitFor();
    });
    const receipt = await arrived(requester.email, new RegExp(`^\\[#${id}\\]`));
    const reply = await arrived(requester.email, new RegExp(`^Re: \\[#${id}\\]`));
    expect(reply.parsed.inReplyTo).toBe(receipt.parsed.messageId);
    expect(reply.parsed.text).toContain("Please switch it off and on");
    expect(header(reply, "auto-submitted")).toBe("auto-generated");
    expect(reply.parsed.from!.name).toBe(`Casey ${mode.name} via Help Desk`);
    await new Promise((r) => setTimeout(r, 500));
    // In the order written: PostgreSQL returns rows in no set order once they have been updated (sent).
    const toRequester = await db.outboxMessage.findMany({
      where: { ticketId: id },
      select: { kind: true },
      orderBy: { id: "asc" },
    });
    expect(toRequester.map((m) => m.kind)).toEqual(["receipt", "reply"]);
    await agentSide.context.close();
  });

  it("forgot password: the link from the email sets a new one; a sign-in link signs in with one click", async () => {
    const { db } = server.t;
    const user = await createUser(db, { name: `Fran ${mode.name}`, email: `fran-${mode.name}@example.com` });
    const { context, page } = await newPage(browser, mode, audit);
    const linkIn = async (subject: RegExp) =>
      (await arrived(user.email, subject)).parsed.text!.match(/(http\S+token=[\w-]+)/)![1]!;
    await step(page, "ask for a reset link from the sign-in page", async () => {
      await page.goto(`${server.url}/login`);
      await page.getByRole("link", { name: "Forgot your password?" }).click();
      await page.getByRole("heading", { name: "Forgot your password?" }).waitFor();
      await page.getByLabel("Email").fill(user.email);
      await page.getByRole("button", { name: "Email me a link" }).click();
      await page.getByRole("heading", { name: "Check your email" }).waitFor();
      if (js) await audit.axe(page, "check your email");
    });
    await step(page, "open the link and choose a new password", async () => {
      const url = (await linkIn(/^Reset your password/)).replace("http://localhost:3000", server.url);
      await page.goto(url);
      await page.getByRole("heading", { name: "Choose a new password" }).waitFor();
      await page.getByLabel("New password").fill("short");
      await page.getByRole("button", { name: "Save new password" }).click();
      await page.locator(".error-summary").waitFor();
      if (js) await audit.axe(page, "reset with an error");
      await page.getByLabel("New password").fill(`a fresh phrase for ${mode.name}`);
      await page.getByRole("button", { name: "Save new password" }).click();
      await page.getByText("Your password is changed").waitFor();
      await signIn(page, user.email, `a fresh phrase for ${mode.name}`);
      await page.getByRole("heading", { name: "My tickets" }).waitFor();
      await page.getByRole("button", { name: "Sign out" }).first().click();
      await page.getByText("You have signed out.").waitFor();
    });
    await step(page, "a sign-in link", async () => {
      await page.getByRole("link", { name: "Email me a sign-in link" }).click();
      // The sign-in page it came from has an Email box too: with htmx the new page is swapped in a
      // moment after the click, so the box is filled once that page is there (CI2 filled the old one).
      await page.getByRole("heading", { name: "Email me a sign-in link" }).waitFor();
      await page.getByLabel("Email").fill(user.email);
      await page.getByRole("button", { name: "Email me a link" }).click();
      await page.getByRole("heading", { name: "Check your email" }).waitFor();
      const url = (await linkIn(/^Your sign-in link/)).replace("http://localhost:3000", server.url);
      await page.goto(url);
      await page.getByRole("heading", { name: `Sign in as Fran ${mode.name}?` }).waitFor();
      if (js) await audit.axe(page, "confirm a sign-in link");
      await page.getByRole("button", { name: "Sign in", exact: true }).click();
      await page.getByRole("heading", { name: "My tickets" }).waitFor();
      await page.goto(url);
      await page.getByRole("heading", { name: "This link no longer works" }).waitFor();
    });
    await context.close();
  });

  it("an admin sees a refused message with the server's reason and tries it again", async () => {
    const { db } = server.t;
    const admin = await createUser(db, { role: "admin", name: `Alex ${mode.name}` });
    const requester = await createUser(db, { email: `gone-${mode.name}@example.com` });
    smtp.answers.push({ code: 550, text: "5.1.1 Mailbox unavailable" });
    // Through the domain function, so the outbox row is written as the app writes it.
    const opened = await openTicket(
      server.t.deps,
      requester,
      { subject: `Bounced ${mode.name}`, description: "A ticket whose receipt bounces.", priority: "Low" },
      undefined,
    );
    const row = async () => db.outboxMessage.findFirstOrThrow({ where: { ticketId: opened.id } });
    const until = Date.now() + 15_000;
    while ((await row()).status !== "failed" && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
    const failed = await row();
    expect(failed.status).toBe("failed");

    const { context, page } = await newPage(browser, mode, audit);
    await step(page, "the outbox shows the failure and its reason", async () => {
      await page.goto(`${server.url}/login?next=/admin/outbox`);
      await signIn(page, admin.email, PASSWORD);
      await page.getByRole("heading", { name: "Outbox" }).waitFor();
      await page.getByRole("link", { name: /Failed/ }).click();
      const line = page.locator(`#message-${failed.id}`);
      await line.getByText("550 5.1.1 Mailbox unavailable").waitFor();
      if (js) await audit.axe(page, "outbox with a failed message");
    });
    await step(page, "read the message", async () => {
      await page.getByRole("link", { name: `[#${opened.id}] Bounced ${mode.name}` }).click();
      await page.getByText(`Its number is #${opened.id}`).waitFor();
      if (js) await audit.axe(page, "one outbox message");
      await page.goBack();
    });
    await step(page, "try again: it is sent", async () => {
      await page.locator(`#message-${failed.id}`).getByRole("button", { name: "Try again" }).click();
      await page.getByText(`Message ${failed.id} to ${requester.email} will be sent again.`).waitFor();
      await arrived(requester.email, new RegExp(`^\\[#${opened.id}\\]`));
      await page.goto(`${server.url}/admin/outbox?status=sent`);
      await page.locator(`#message-${failed.id}`).getByText("Sent").waitFor();
    });
    await step(page, "incoming mail that made no ticket says why", async () => {
      const auto = `Auto-Submitted: auto-replied\r\nFrom: away-${mode.name}@example.org\r\nTo: help@desk.example\r\nSubject: Away ${mode.name}\r\nMessage-ID: <away-${mode.name}@x>\r\n\r\nI am away.\r\n`;
      expect((await receiveMail(server.t.deps, auto)).outcome).toBe("ignored");
      await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Mail in" }).click();
      await page.getByRole("heading", { name: "Incoming mail" }).waitFor();
      await page.getByRole("link", { name: /^Ignored/ }).click();
      await page.getByText("automatic mail: Auto-Submitted: auto-replied").first().waitFor();
      if (js) await audit.axe(page, "incoming mail, ignored");
    });
    await context.close();
  });
});

describeAudit(audit, { axeRuns: 7, pages: 9 });
