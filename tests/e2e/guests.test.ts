import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { PNG } from "../helpers/files.js";
import { Audit, chromiumSuite, describeAudit, MODES, type Mode, newPage, settled, step } from "./harness.js";

// A person at a kiosk without an account, JavaScript off and on: opens a ticket with a photo,
// gets a receipt (and prints it: 80 mm wide, no menus or buttons), finishes, comes back with the
// number and code at /status, replies and closes; wrong codes are refused and then throttled.

const audit = new Audit();
const suite = chromiumSuite({ KIOSK_MODE: "true" });

async function openGuestTicket(page: Page, mode: Mode, subject: string, email?: string) {
  await page.goto(`${suite.server.url}/`);
  await page.getByRole("link", { name: "Open a ticket without an account" }).click();
  await page.getByRole("heading", { name: "Open a ticket without an account" }).waitFor();
  await page.getByLabel("Subject").fill(subject);
  await page.getByLabel("Description").fill("The kiosk printer prints blank pages since this morning.");
  if (email) await page.getByLabel("Your email address (optional)").fill(email);
  await page.getByLabel("Attach files").setInputFiles([{ name: "blank.png", mimeType: "image/png", buffer: PNG }]);
  // A person takes more than the 3 seconds the form's stamp asks for.
  suite.server.t.clock.advance(5_000);
  await page.getByRole("button", { name: "Open ticket" }).click();
  await page.getByRole("heading", { name: "Your ticket is open" }).waitFor();
  await settled(page, mode);
  const id = Number((await page.locator(".receipt-facts dd.big").first().textContent())!.replace("#", ""));
  const code = (await page.locator(".receipt-facts dd.code").textContent())!;
  return { id, code };
}

describe.each(MODES)("a guest at the kiosk with JavaScript $name", (mode) => {
  const js = mode.javaScriptEnabled;

  it("opens a ticket, prints the receipt, finishes, comes back with the code, replies and closes", async () => {
    const { context, page } = await newPage(suite.browser, mode, audit);
    let id = 0;
    let code = "";
    await step(page, "open a ticket without an account", async () => {
      ({ id, code } = await openGuestTicket(page, mode, `Blank pages ${mode.name}`));
      expect(code).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}$/);
      expect(await page.getByRole("button", { name: "Print this receipt" }).isVisible()).toBe(js);
      expect(await page.getByText("use your browser's Print command").isVisible()).toBe(!js);
      if (js) await audit.axe(page, "receipt");
    });
    await step(page, "the receipt prints at 80 mm without menus or buttons", async () => {
      await page.emulateMedia({ media: "print" });
      expect(await page.locator("header.top").isVisible()).toBe(false);
      expect(await page.getByRole("button", { name: "Finish and leave this computer" }).isVisible()).toBe(false);
      expect(await page.getByText("Keep this receipt").isVisible()).toBe(true);
      const width = await page.locator(".receipt").evaluate((el) => el.getBoundingClientRect().width);
      // 72 mm printable on an 80 mm roll, at 96 px to the inch.
      expect(width).toBeLessThanOrEqual(Math.ceil((72 / 25.4) * 96));
      expect(await page.locator(".receipt-facts dd.code").textContent()).toBe(code);
      await page.emulateMedia({ media: "screen" });
    });
    await step(page, "see the ticket, then finish: nothing of it stays", async () => {
      await page.getByRole("link", { name: "See the ticket" }).click();
      await page.getByRole("heading", { name: new RegExp(`Blank pages ${mode.name}`) }).waitFor();
      expect(await page.getByRole("link", { name: "blank.png" }).isVisible()).toBe(true);
      await page.getByRole("button", { name: "Finish" }).click();
      await page.getByText("It is safe to leave this computer.").waitFor();
      await settled(page, mode);
      const back = await page.goto(`${suite.server.url}/tickets/${id}`);
      expect(new URL(back!.url()).pathname).not.toBe(`/tickets/${id}`);
    });
    await step(page, "a wrong code is refused next to the field", async () => {
      await page.goto(`${suite.server.url}/status`);
      await page.getByLabel("Ticket number").fill(String(id));
      await page.getByLabel("Access code").fill("ZZZZ-ZZZZ");
      await page.getByRole("button", { name: "See the ticket" }).click();
      await page.locator("#code-error").waitFor();
      expect(await page.locator("#code-error").textContent()).toContain("No ticket matches this number and code.");
      if (js) await audit.axe(page, "status with an error");
    });
    await step(page, "the right code opens the ticket; reply and close", async () => {
      await page.getByLabel("Access code").fill(code.toLowerCase());
      await page.getByRole("button", { name: "See the ticket" }).click();
      await page.getByRole("heading", { name: new RegExp(`Blank pages ${mode.name}`) }).waitFor();
      await page.getByLabel("Your reply").fill("It also happens with the second tray.");
      await page.getByRole("button", { name: "Send reply" }).click();
      await page.getByText("It also happens with the second tray.").waitFor();
      await settled(page, mode);
      await page.getByRole("button", { name: "Close ticket" }).click();
      await page.getByText("Reopen ticket").waitFor();
      await settled(page, mode);
      expect((await suite.server.t.db.ticket.findUniqueOrThrow({ where: { id } })).status).toBe("Closed");
      if (js) await audit.axe(page, "guest's ticket page");
    });
    await context.close();
  });

  it("gives an address: its owner is asked by mail, and yes makes the ticket theirs", async () => {
    const { context, page } = await newPage(suite.browser, mode, audit);
    const email = `owner-${mode.name}@example.org`;
    const { id } = await openGuestTicket(page, mode, `Claimed ${mode.name}`, email);
    await page.getByText(`We sent a message to ${email}.`).waitFor();
    await page.getByRole("button", { name: "Finish and leave this computer" }).click();
    await page.getByText("It is safe to leave this computer.").waitFor();
    await context.close();
    const { db } = suite.server.t;
    const receipt = await db.outboxMessage.findFirstOrThrow({ where: { ticketId: id, kind: "receipt" } });
    expect(receipt.toAddress).toBe(email);
    const link = receipt.text.match(/\/claim\?token=\S+/)![0];
    const owner = await newPage(suite.browser, mode, audit);
    await step(owner.page, "the owner of the address follows the link and says yes", async () => {
      await owner.page.goto(`${suite.server.url}${link}`);
      await owner.page.getByRole("heading", { name: "Was this you?" }).waitFor();
      expect(await owner.page.getByText(`Claimed ${mode.name}`).isVisible()).toBe(true);
      if (js) await audit.axe(owner.page, "claim");
      await owner.page.getByRole("button", { name: "Yes, it was me" }).click();
      await owner.page.getByText(`Ticket #${id} is among your tickets now`).waitFor();
      await settled(owner.page, mode);
      const ticket = await db.ticket.findUniqueOrThrow({ where: { id }, include: { requester: true } });
      expect([ticket.claimedEmail, ticket.requester.email]).toEqual([null, email]);
      if (js) await audit.axe(owner.page, "claim answered");
      // The mailed link stood for the code: the ticket opens in this browser without a look-up.
      await owner.page.getByRole("link", { name: `Open ticket #${id}` }).click();
      await owner.page.getByRole("heading", { name: new RegExp(`Claimed ${mode.name}`) }).waitFor();
    });
    await owner.context.close();
  });

  it("paces wrong codes: past five, the next try waits seconds, then the right code gets in", async () => {
    const { context, page } = await newPage(suite.browser, mode, audit);
    const { id, code } = await openGuestTicket(page, mode, `Throttle ${mode.name}`);
    await page.getByRole("button", { name: "Finish and leave this computer" }).click();
    await page.getByText("It is safe to leave this computer.").waitFor();
    const tryCode = async (typed: string) => {
      await page.getByLabel("Ticket number").fill(String(id));
      await page.getByLabel("Access code").fill(typed);
      await page.getByRole("button", { name: "See the ticket" }).click();
    };
    await step(page, "six wrong codes, then the right one waits a second", async () => {
      await page.goto(`${suite.server.url}/status`);
      for (let i = 0; i <= suite.server.t.config.loginMaxFailures; i++) {
        await tryCode("ZZZZ-ZZZZ");
        await page.locator("#code-error").waitFor();
        await settled(page, mode);
      }
      await tryCode(code);
      await page.locator("#code-error", { hasText: "Wait 1 second, then send it again." }).waitFor();
      await settled(page, mode);
      if (js) await audit.axe(page, "status paced");
    });
    await step(page, "after the wait the right code opens the ticket", async () => {
      suite.server.t.clock.advance(1_000);
      await tryCode(code);
      await page.getByRole("heading", { name: new RegExp(`Throttle ${mode.name}`) }).waitFor();
    });
    await context.close();
  });
});

describeAudit(audit, { axeRuns: 6, pages: 5 });
