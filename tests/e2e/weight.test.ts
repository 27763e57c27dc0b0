import type { CDPSession, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { createUser, PASSWORD } from "../helpers/app.js";
import { BUDGETS } from "./budgets.js";
import { Audit, chromiumSuite, MODES, newPage, signIn, step } from "./harness.js";

const suite = chromiumSuite();

type Transfer = { url: string; type: string; bytes: number; cached: boolean };

/** Bytes Chromium actually received per request (encodedDataLength: compressed body and headers). */
async function recordTransfers(page: Page): Promise<{ cdp: CDPSession; transfers: Transfer[] }> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Network.enable");
  const pending = new Map<string, { url: string; type: string; cached: boolean }>();
  const transfers: Transfer[] = [];
  cdp.on("Network.responseReceived", (e) =>
    pending.set(e.requestId, {
      url: e.response.url,
      type: e.type,
      cached: Boolean(e.response.fromDiskCache || e.response.fromServiceWorker),
    }),
  );
  cdp.on("Network.requestServedFromCache", (e) => {
    const p = pending.get(e.requestId);
    if (p) p.cached = true;
  });
  cdp.on("Network.loadingFinished", (e) => {
    const p = pending.get(e.requestId);
    if (p) transfers.push({ ...p, bytes: e.encodedDataLength });
  });
  return { cdp, transfers };
}

const sum = (ts: Transfer[]) => ts.reduce((n, t) => n + t.bytes, 0);

describe("page weight (JavaScript on: the heaviest case)", () => {
  it("stays within the budgets", async () => {
    const user = await createUser(suite.server.t.db, { name: "Wendy Weight" });
    for (let i = 0; i < 30; i++) {
      await suite.server.t.db.ticket.create({
        data: {
          subject: `Weight ticket number ${i} about the scanner`,
          description: "A realistic description.",
          priority: ["Low", "Medium", "High", "Urgent"][i % 4]!,
          requesterId: user.id,
        },
      });
    }
    const { context, page } = await newPage(suite.browser, MODES[1]!, new Audit());
    const { transfers } = await recordTransfers(page);
    const first = await step(page, "first visit", async () => {
      await page.goto(`${suite.server.url}/login`);
      await page.waitForLoadState("load");
      return sum(transfers);
    });
    await step(page, "sign in", async () => {
      await signIn(page, user.email, PASSWORD);
      await page.getByRole("heading", { name: "My tickets" }).waitFor();
    });
    transfers.length = 0;
    const list = await step(page, "list page of 25 tickets", async () => {
      await page.goto(`${suite.server.url}/tickets`);
      await page.waitForLoadState("load");
      expect(await page.locator("#ticket-rows tr").count()).toBe(25);
      return {
        html: transfers.filter((t) => t.type === "Document").reduce((n, t) => n + t.bytes, 0),
        assets: sum(transfers.filter((t) => t.type === "Script" || t.type === "Stylesheet")),
      };
    });
    const figures = { firstVisitBytes: first, listPageHtmlBytes: list.html, laterNavigationAssetBytes: list.assets };
    console.log(`page weight: ${JSON.stringify(figures)} (budgets ${JSON.stringify(BUDGETS)})`);
    expect(figures.firstVisitBytes, "first visit HTML+CSS+JS").toBeLessThanOrEqual(BUDGETS.firstVisitBytes);
    expect(figures.listPageHtmlBytes, "list page HTML").toBeLessThanOrEqual(BUDGETS.listPageHtmlBytes);
    expect(figures.laterNavigationAssetBytes, "CSS and JS on a later navigation").toBeLessThanOrEqual(
      BUDGETS.laterNavigationAssetBytes,
    );
    await context.close();
  });
});

describe.each(MODES)("a kiosk on a slow link (about 50 KB/s, 400 ms latency), JavaScript $name", (mode) => {
  it("still opens a ticket", async () => {
    const user = await createUser(suite.server.t.db, { name: `Slow ${mode.name}` });
    const { context, page } = await newPage(suite.browser, mode, new Audit());
    const cdp = await context.newCDPSession(page);
    await cdp.send("Network.enable");
    await cdp.send("Network.emulateNetworkConditions", {
      offline: false,
      latency: 400,
      downloadThroughput: 50 * 1024,
      uploadThroughput: 25 * 1024,
    });
    const started = performance.now();
    await step(page, "slow create-ticket", async () => {
      await page.goto(`${suite.server.url}/login?next=/tickets/new`, { timeout: 60_000 });
      await signIn(page, user.email, PASSWORD);
      await page.getByRole("heading", { name: "Open a ticket" }).waitFor({ timeout: 60_000 });
      await page.getByLabel("Subject").fill("Slow link ticket");
      await page.getByLabel("Description").fill("Opened over a 2G-like connection.");
      const button = page.getByRole("button", { name: "Open ticket" });
      await button.click();
      if (mode.javaScriptEnabled) {
        // While the answer is on its way: the button is disabled and says so.
        expect(await button.isDisabled()).toBe(true);
        const label = await button.evaluate((b) => getComputedStyle(b, "::after").content);
        expect(label).toContain("Sending");
      }
      await page.getByText(/Ticket #\d+ is open/).waitFor({ timeout: 60_000 });
    });
    const seconds = (performance.now() - started) / 1000;
    console.log(`slow link (${mode.name}): sign in and open a ticket in ${seconds.toFixed(1)} s`);
    expect(seconds).toBeLessThan(60);
    await context.close();
  });
});
