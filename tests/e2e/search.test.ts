import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import type { CurrentUser } from "../../src/env.js";
import { createUser, PASSWORD } from "../helpers/app.js";
import { Audit, chromiumSuite, describeAudit, MODES, type Mode, newPage, settled, signIn, step } from "./harness.js";

// Search from the index, JavaScript off and on: a requester finds her own tickets by any part of a
// word, the match marked, and where it was found when not in the subject; never someone else's
// ticket. An agent finds a ticket by its internal note, and a search with %, _ or quotes means
// those characters.

const audit = new Audit();
const suite = chromiumSuite();
let rita: CurrentUser;
let agent: CurrentUser;

beforeAll(async () => {
  const { db } = suite.server.t;
  rita = await createUser(db, { name: "Rita Requester", email: "rita@example.com" });
  const sam = await createUser(db, { name: "Sam Other", email: "sam@example.com" });
  agent = await createUser(db, { name: "Ada Agent", email: "ada@example.com", role: "agent" });
  await db.ticket.create({
    data: { subject: "Printer jams on tray 2", description: "Every morning.", requesterId: rita.id },
  });
  const monitor = await db.ticket.create({
    data: {
      subject: "Monitor flickers",
      description: "Since someone moved the PRINTER cable behind the desk, the monitor flickers at 100% brightness.",
      requesterId: rita.id,
    },
  });
  await db.ticket.create({ data: { subject: "Printer in room 5", description: "Offline.", requesterId: sam.id } });
  await db.reply.create({
    data: { ticketId: monitor.id, authorId: agent.id, body: "Vendor case ZX-4471 opened.", internal: true },
  });
});

async function search(page: Page, mode: Mode, q: string) {
  await page.getByLabel("Search").fill(q);
  await page.getByRole("button", { name: /^(Search|Apply)$/ }).click();
  await settled(page, mode);
  // With htmx the results follow as one types, and the address follows the search.
  await expect.poll(() => new URL(page.url()).searchParams.get("q")).toBe(q);
}

const rowsOf = (page: Page) => page.locator("#ticket-rows tr");

async function signInAndOpen(page: Page, user: CurrentUser, path: string) {
  await page.goto(`${suite.server.url}/login`);
  await signIn(page, user.email, PASSWORD);
  await page.waitForURL((url) => url.pathname !== "/login");
  await page.goto(`${suite.server.url}${path}`);
}

describe.each(MODES)("search with JavaScript $name", (mode) => {
  it("a requester finds her own tickets by part of a word, the match marked and located", async () => {
    const { context, page } = await newPage(suite.browser, mode, audit);
    await step(page, "sign in and search her tickets", async () => {
      await signInAndOpen(page, rita, "/tickets");
      await search(page, mode, "rinte");
      expect(await rowsOf(page).count()).toBe(2);
      expect(await page.locator("#ticket-rows").textContent()).not.toContain("room 5");
      // Newest first: the monitor ticket, found in its description, then the printer one.
      expect(await page.locator("#ticket-rows mark").allTextContents()).toEqual(["RINTE", "rinte"]);
      await expect(rowsOf(page).nth(0).textContent()).resolves.toContain("In the description:");
      expect(await page.getByRole("link", { name: "Printer jams on tray 2" }).isVisible()).toBe(true);
      // axe runs with JavaScript on (it is a script); the HTML checker sees every page either way.
      if (mode.javaScriptEnabled) await audit.axe(page, "requester search results");
    });
    await step(page, "% is a character, not a wildcard", async () => {
      await search(page, mode, "100%");
      expect(await rowsOf(page).count()).toBe(1);
      expect(await page.locator("#ticket-rows mark").allTextContents()).toEqual(["100%"]);
      await search(page, mode, "0%b");
      expect(await page.getByText("No tickets match.").isVisible()).toBe(true);
      expect(await page.getByRole("link", { name: "Show all your tickets" }).isVisible()).toBe(true);
    });
    await context.close();
  });

  it("an agent finds a ticket by its internal note, and sees where the match was", async () => {
    const { context, page } = await newPage(suite.browser, mode, audit);
    await step(page, "search the queue for a note's text", async () => {
      await signInAndOpen(page, agent, "/queue");
      await search(page, mode, "zx-4471");
      expect(await rowsOf(page).count()).toBe(1);
      const row = (await rowsOf(page).first().textContent())!;
      expect(row).toContain("Monitor flickers");
      expect(row).toContain("In an internal note:");
      expect(await page.locator("#ticket-rows mark").allTextContents()).toEqual(["ZX-4471"]);
      expect(await page.locator("#status-counts").textContent()).toContain("All: 1");
      if (mode.javaScriptEnabled) await audit.axe(page, "queue search results");
    });
    await context.close();
  });
});

describeAudit(audit, { axeRuns: 2, pages: 3 });
