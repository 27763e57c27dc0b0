import { type AddressInfo, connect, createServer, type Socket } from "node:net";
import type { BrowserContext, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { createUser, PASSWORD } from "../helpers/app.js";
import { Audit, chromiumSuite, describeAudit, MODES, type Mode, newPage, settled, signIn, step } from "./harness.js";

// Uploads on a slow link (Chromium's network emulation: 20 KB/s up): a form with files takes as
// long as its upload takes, longer than htmx's time limit for other requests (2 s here), shows its
// progress with JavaScript on, and when the connection fails says so with the text and files kept.

const audit = new Audit();
const suite = chromiumSuite({ GUEST_TICKETS: "true", HTMX_TIMEOUT_SECONDS: "2" });
/** 120 KB of plain text: six seconds at 20 KB/s, three times the time limit. */
const notes = {
  name: "printer-log.txt",
  mimeType: "text/plain",
  buffer: Buffer.from("toner low, tray 2\n".repeat(6_800)),
};

async function slowLink(context: BrowserContext, page: Page, offline = false) {
  const cdp = await context.newCDPSession(page);
  await cdp.send("Network.enable");
  await cdp.send("Network.emulateNetworkConditions", {
    offline,
    latency: 150,
    downloadThroughput: 64 * 1024,
    uploadThroughput: 20 * 1024,
  });
  return cdp;
}

/** While a form is being sent with JavaScript on: its progress bar, moving. */
async function sawProgress(page: Page) {
  const bar = page.locator(".send-status progress");
  await bar.waitFor({ timeout: 10_000 });
  await page.waitForFunction(
    () => ((document.querySelector(".send-status progress") as HTMLProgressElement | null)?.value ?? 0) > 0,
    undefined,
    { timeout: 10_000 },
  );
  return (await page.locator(".send-status").textContent()) ?? "";
}

describe.each(MODES)("uploads on a slow link with JavaScript $name", (mode: Mode) => {
  const js = mode.javaScriptEnabled;

  it("a new ticket, a reply and a guest ticket with a file all arrive, past the time limit", async () => {
    const requester = await createUser(suite.server.t.db, { name: `Uma ${mode.name}` });
    const { context, page } = await newPage(suite.browser, mode, audit);
    context.setDefaultTimeout(60_000);
    let id = 0;
    await step(page, "sign in on a fast link", async () => {
      await page.goto(`${suite.server.url}/login?next=/tickets/new`);
      await signIn(page, requester.email, PASSWORD);
      await page.getByLabel("Subject").waitFor();
    });
    await slowLink(context, page);
    await step(page, "open a ticket with a 120 KB file at 20 KB/s", async () => {
      await page.getByLabel("Subject").fill(`Printer log ${mode.name}`);
      await page.getByLabel("Description").fill("The log of the printer on floor 2 is attached.");
      await page.getByLabel("Attach files").setInputFiles([notes]);
      const started = Date.now();
      await page.getByRole("button", { name: "Open ticket" }).click();
      if (js) expect(await sawProgress(page)).toMatch(/Sending: .* of 1\d\d KB \(\d+ %\)/);
      await page.getByRole("heading", { name: new RegExp(`Printer log ${mode.name}`) }).waitFor();
      expect(Date.now() - started).toBeGreaterThan(4_000);
      id = Number(new URL(page.url()).pathname.split("/").at(-1));
      await page.getByRole("link", { name: "printer-log.txt" }).waitFor();
      await settled(page, mode);
    });
    await step(page, "reply with the file again", async () => {
      await page.getByLabel("Your reply").fill("And the log from this afternoon.");
      await page.getByLabel("Attach files").setInputFiles([{ ...notes, name: "afternoon.txt" }]);
      await page.getByRole("button", { name: "Send reply" }).click();
      if (js) await sawProgress(page);
      await page.getByRole("link", { name: "afternoon.txt" }).waitFor();
      await settled(page, mode);
      const files = await suite.server.t.db.attachment.findMany({ where: { ticketId: id } });
      expect(files.map((f) => [f.name, f.size])).toEqual([
        ["printer-log.txt", notes.buffer.length],
        ["afternoon.txt", notes.buffer.length],
      ]);
      if (js) await audit.axe(page, "ticket after a slow upload");
    });
    await context.close();
  }, 120_000);

  it("a kiosk guest's ticket with a file arrives on the slow link", async () => {
    const { context, page } = await newPage(suite.browser, mode, audit);
    context.setDefaultTimeout(60_000);
    await page.goto(`${suite.server.url}/guest`);
    await slowLink(context, page);
    await step(page, "open a guest ticket with the file", async () => {
      await page.getByLabel("Subject").fill(`Guest log ${mode.name}`);
      await page.getByLabel("Description").fill("The kiosk printer log, from the guest form.");
      await page.getByLabel("Attach files").setInputFiles([notes]);
      suite.server.t.clock.advance(5_000);
      await page.getByRole("button", { name: "Open ticket" }).click();
      if (js) await sawProgress(page);
      await page.getByRole("heading", { name: "Your ticket is open" }).waitFor();
      const ticket = await suite.server.t.db.ticket.findFirstOrThrow({
        where: { subject: `Guest log ${mode.name}` },
        include: { attachments: true },
      });
      expect(ticket.attachments.map((f) => f.name)).toEqual(["printer-log.txt"]);
    });
    await context.close();
  }, 120_000);
});

/** A TCP proxy in front of the server whose connections the test can cut, as a failing link does. */
async function cuttableLink(target: string) {
  const { port, hostname } = new URL(target);
  const sockets = new Set<Socket>();
  let down = false;
  const proxy = createServer((client) => {
    // While the link is down, every new connection fails too (Chromium sends a POST again once
    // on a fresh connection when a reused one drops).
    if (down) return void client.destroy();
    const upstream = connect(Number(port), hostname);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on("close", () => sockets.delete(s));
      s.on("error", () => s.destroy());
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`,
    cut: () => {
      down = true;
      for (const s of sockets) s.destroy();
    },
    restore: () => {
      down = false;
    },
    close: () => new Promise((resolve) => proxy.close(resolve)),
  };
}

describe("an upload whose connection fails, JavaScript on", () => {
  it("says so next to the form and keeps the text and the chosen file; sent again, it arrives", async () => {
    const requester = await createUser(suite.server.t.db, { name: "Ola Offline" });
    const link = await cuttableLink(suite.server.url);
    // Not watched by the audit: the failed request is logged by Chromium as a network error, on purpose.
    const context = await suite.browser.newContext({ javaScriptEnabled: true });
    context.setDefaultTimeout(60_000);
    const page = await context.newPage();
    try {
      await page.goto(`${link.url}/login?next=/tickets/new`);
      await signIn(page, requester.email, PASSWORD);
      await page.getByLabel("Subject").fill("Log that fails once");
      await page.getByLabel("Description").fill("The connection drops while this is sent.");
      await page.getByLabel("Attach files").setInputFiles([notes]);
      const cdp = await slowLink(context, page);
      await page.getByRole("button", { name: "Open ticket" }).click();
      await sawProgress(page);
      link.cut();
      const alert = page.getByRole("alert").filter({ hasText: "It was not sent" });
      await alert.waitFor();
      expect(await alert.textContent()).toContain("your text and files are still here");
      expect(await page.getByLabel("Subject").inputValue()).toBe("Log that fails once");
      expect(await page.getByLabel("Attach files").evaluate((input: HTMLInputElement) => input.files?.length)).toBe(1);
      expect(await suite.server.t.db.ticket.count({ where: { subject: "Log that fails once" } })).toBe(0);
      link.restore();
      await cdp.send("Network.emulateNetworkConditions", {
        offline: false,
        latency: 0,
        downloadThroughput: -1,
        uploadThroughput: -1,
      });
      await page.getByRole("button", { name: "Open ticket" }).click();
      await page.getByRole("heading", { name: "Log that fails once" }).waitFor();
    } finally {
      await context.close();
      await link.close();
    }
  }, 120_000);
});

describeAudit(audit, { axeRuns: 1, pages: 4 });
