import { describe, expect, it } from "vitest";
import { createUser, PASSWORD } from "../helpers/app.js";
import { Audit, chromiumSuite, describeAudit, MODES, newPage, settled, signIn, step } from "./harness.js";

// Tags in Chromium, JavaScript off and on: an agent tags a ticket (a mistake first), finds it in the
// queue by its tags, takes one off; an admin merges two tags; the ticket page in Arabic too.

const suite = chromiumSuite();
const audit = new Audit();

describe.each(MODES)("tags with JavaScript $name", (mode) => {
  const js = mode.javaScriptEnabled;

  it("an agent tags a ticket, filters the queue by tags and removes one; an admin merges two", async () => {
    const db = suite.server.t.db;
    const agent = await createUser(db, { role: "agent", name: `Alex ${mode.name}` });
    const requester = await createUser(db, { name: `Rita ${mode.name}` });
    const subject = `Wifi in the reading room ${mode.name}`;
    const ticket = await db.ticket.create({ data: { subject, description: "It drops.", requesterId: requester.id } });
    const [wifi, room] = [`wifi ${mode.name}`, `room ${mode.name}`];
    const { context, page } = await newPage(suite.browser, mode, audit);
    const tags = page.locator("#ticket-state .tag-list");
    await step(page, "a tag that cannot be one is refused", async () => {
      await page.goto(`${suite.server.url}/login?next=/tickets/${ticket.id}`);
      await signIn(page, agent.email, PASSWORD);
      await page.getByLabel("Add a tag").fill("<b>");
      await page.getByRole("button", { name: "Add tag" }).click();
      await settled(page, mode);
      await page.getByText("A tag starts with a letter or a number").waitFor();
    });
    await step(page, "two tags added", async () => {
      for (const name of [wifi.toUpperCase(), room]) {
        await page.getByLabel("Add a tag").fill(name);
        await page.getByRole("button", { name: "Add tag" }).click();
        await settled(page, mode);
        await tags.getByText(name.toLowerCase(), { exact: true }).waitFor();
      }
      if (js) await audit.axe(page, "ticket with tags");
    });
    await step(page, "the queue finds it by both tags", async () => {
      await page.goto(`${suite.server.url}/queue`);
      await page.getByLabel("Tags (all of)").fill(`${wifi}, ${room}`);
      await page.getByRole("button", { name: "Apply" }).click();
      await settled(page, mode);
      await page.getByRole("row").filter({ hasText: subject }).waitFor();
      expect(new URL(page.url()).searchParams.get("tag")).toBe(`${wifi}, ${room}`);
      if (js) await audit.axe(page, "queue filtered by tags");
    });
    await step(page, "one tag removed", async () => {
      await page.goto(`${suite.server.url}/tickets/${ticket.id}`);
      await page.getByRole("button", { name: `Remove the tag ${room}` }).click();
      await settled(page, mode);
      await page.getByText(`Removed the tag “${room}”.`).first().waitFor();
      expect(await tags.getByText(room, { exact: true }).count()).toBe(0);
    });
    await context.close();

    const adminUser = await createUser(db, { role: "admin", name: `Ada ${mode.name}` });
    const typo = await db.tag.create({ data: { name: `wfi ${mode.name}` } });
    await db.ticketTag.create({ data: { ticketId: ticket.id, tagId: typo.id } });
    const second = await newPage(suite.browser, mode, audit);
    await step(second.page, "an admin merges the misspelt tag", async () => {
      await second.page.goto(`${suite.server.url}/login?next=/admin/tags`);
      await signIn(second.page, adminUser.email, PASSWORD);
      await second.page.getByLabel(`New name for “wfi ${mode.name}”`).fill(wifi);
      await second.page.locator(`#rename-${typo.id}`).getByRole("button", { name: "Rename" }).click();
      await settled(second.page, mode);
      await second.page.getByText(`Merged “wfi ${mode.name}” into “${wifi}”.`).first().waitFor();
      expect(await db.tag.count({ where: { id: typo.id } })).toBe(0);
      if (js) await audit.axe(second.page, "admin tags");
    });
    await second.context.close();
  });
});

describeAudit(audit, { axeRuns: 3, pages: 3 });
