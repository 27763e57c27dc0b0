import { describe, expect, it } from "vitest";
import { createUser, PASSWORD } from "../helpers/app.js";
import { Audit, chromiumSuite, describeAudit, MODES, type Mode, settled, signIn, step } from "./harness.js";

// A phone's 360 px, JavaScript off and on, in English and Arabic: a list of tickets is stacked
// rows, no word breaks inside ("Prior ity", "Wait ing", Arabic words too), and the header's
// language menu and "Sign out" stay on the screen.

const audit = new Audit();
const suite = chromiumSuite();

async function phone(mode: Mode) {
  const context = await suite.browser.newContext({
    javaScriptEnabled: mode.javaScriptEnabled,
    viewport: { width: 360, height: 740 },
  });
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  audit.watch(page);
  return { context, page };
}

describe.each(MODES)("at 360 px with JavaScript $name", (mode) => {
  it("lists tickets as stacked rows with whole words, in English and Arabic", async () => {
    const { db } = suite.server.t;
    const agent = await createUser(db, { role: "agent", name: `Nia ${mode.name}` });
    const requester = await createUser(db, { name: `Remy ${mode.name}` });
    for (const [status, priority] of [
      ["Waiting", "Medium"],
      ["In progress", "Urgent"],
      ["Open", "Low"],
    ] as const)
      await db.ticket.create({
        data: {
          subject: `Phone ${status} ${mode.name}`,
          description: "On a phone.",
          status,
          priority,
          requesterId: requester.id,
        },
      });
    const { context, page } = await phone(mode);
    await step(page, "the queue in English", async () => {
      await page.goto(`${suite.server.url}/login?next=/queue`);
      await signIn(page, agent.email, PASSWORD);
      await page.getByRole("heading", { name: "Queue" }).waitFor();
      await settled(page, mode);
      await expectWholeWords(page);
      if (mode.javaScriptEnabled) await audit.axe(page, "queue at 360 px");
    });
    await step(page, "the queue in Arabic", async () => {
      await page.getByLabel("Language").selectOption("ar");
      await page.getByRole("button", { name: "Change", exact: true }).click();
      await page.locator('html[lang="ar"]').waitFor();
      await settled(page, mode);
      await expectWholeWords(page);
      if (mode.javaScriptEnabled) await audit.axe(page, "queue at 360 px, Arabic");
    });
    await context.close();
  });
});

/** Every badge on one line, the column headings not shown (rows are stacked), the header on screen. */
async function expectWholeWords(page: import("playwright-core").Page) {
  const badges = page.locator("table.tickets .badge");
  const count = await badges.count();
  expect(count).toBeGreaterThan(5);
  for (let i = 0; i < count; i++) {
    const box = (await badges.nth(i).boundingBox())!;
    // One line of 0.8rem text with its border is about 22 px; a word broken in two is twice that.
    expect(box.height, `badge ${i}: ${await badges.nth(i).textContent()}`).toBeLessThan(30);
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(360);
  }
  expect(await page.locator("table.tickets thead").isVisible()).toBe(false);
  const signOut = (await page.locator("header.top button, header.top a").last().boundingBox())!;
  expect(signOut.x + signOut.width).toBeLessThanOrEqual(360);
}

describeAudit(audit, { axeRuns: 2, pages: 2 });
