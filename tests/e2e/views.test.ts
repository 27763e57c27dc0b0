import { describe, expect, it } from "vitest";
import { createUser, PASSWORD } from "../helpers/app.js";
import { Audit, chromiumSuite, describeAudit, MODES, newPage, settled, signIn, step } from "./harness.js";

// Saved views in Chromium, JavaScript off and on: an agent filters the queue, saves the view (a
// name left empty first, refused by its box), finds it above the filters with its count, opens it,
// renames it and removes it; the views page in Arabic too.

const suite = chromiumSuite();
const audit = new Audit();

describe.each(MODES)("saved views with JavaScript $name", (mode) => {
  const js = mode.javaScriptEnabled;

  it("an agent saves the filtered queue under a name, opens it from the queue, renames and removes it", async () => {
    const db = suite.server.t.db;
    const agent = await createUser(db, { role: "agent", name: `Vera ${mode.name}` });
    const requester = await createUser(db, { name: `Rolf ${mode.name}` });
    const tag = `scanners-${mode.name}`;
    for (const n of [1, 2])
      await db.ticket.create({
        data: {
          subject: `Scanner ${n} ${mode.name}`,
          description: "Jammed.",
          requesterId: requester.id,
          tags: { create: { tag: { connectOrCreate: { where: { name: tag }, create: { name: tag } } } } },
        },
      });
    const name = `Scanners ${mode.name}`;
    const { context, page } = await newPage(suite.browser, mode, audit);
    const nav = page.locator("#saved-views-nav");
    await step(page, "a view without a name is refused by its box", async () => {
      await page.goto(`${suite.server.url}/login?next=/queue`);
      await signIn(page, agent.email, PASSWORD);
      await page.getByLabel("Tags (all of)").fill(tag);
      await page.getByRole("button", { name: "Apply", exact: true }).click();
      await settled(page, mode);
      await page
        .getByRole("row")
        .filter({ hasText: `Scanner 2 ${mode.name}` })
        .waitFor();
      await page.getByRole("button", { name: "Save view" }).click();
      await settled(page, mode);
      await page.locator("#viewName-error").getByText("Give the view a name.").waitFor();
      if (js) await audit.axe(page, "save view refused");
    });
    await step(page, "saved, and found above the filters with its count", async () => {
      await page.getByLabel("Save this view as").fill(name);
      await page.getByRole("button", { name: "Save view" }).click();
      await settled(page, mode);
      await page.locator("#flash").getByText(`Saved the view “${name}”.`).waitFor();
      await nav.getByRole("link", { name: `${name}: 2` }).waitFor();
      expect((await db.savedView.findFirstOrThrow({ where: { name } })).query).toBe(`tag=${tag}`);
      if (js) await audit.axe(page, "queue with a saved view");
    });
    await step(page, "opened from the queue's navigation", async () => {
      await page.goto(`${suite.server.url}/queue?status=Closed`);
      await nav.getByRole("link", { name: `${name}: 2` }).click();
      await settled(page, mode);
      await page
        .getByRole("row")
        .filter({ hasText: `Scanner 1 ${mode.name}` })
        .waitFor();
      expect(new URL(page.url()).search).toBe(`?tag=${tag}`);
      expect(await nav.getByRole("link", { name: `${name}: 2` }).getAttribute("aria-current")).toBe("true");
    });
    await step(page, "renamed and removed on its page", async () => {
      await nav.getByRole("link", { name: "Manage saved views" }).click();
      await page.getByRole("heading", { name: "Saved views", level: 1 }).waitFor();
      await page.getByLabel(`New name for “${name}”`).fill(`${name} (all)`);
      await page.getByRole("button", { name: "Rename" }).click();
      await page.locator("#flash").getByText(`Renamed the view to “${name} (all)”.`).waitFor();
      if (js) await audit.axe(page, "saved views page");
      await page.getByRole("button", { name: `Remove the view ${name} (all)` }).click();
      await page.locator("#flash").getByText(`Removed the view “${name} (all)”.`).waitFor();
      expect(await db.savedView.count({ where: { name: { startsWith: name } } })).toBe(0);
    });
    await context.close();
  });

  it("the saved views page in Arabic, right to left", async () => {
    const db = suite.server.t.db;
    const agent = await createUser(db, { role: "agent", name: `Amal ${mode.name}` });
    await db.user.update({ where: { id: agent.id }, data: { language: "ar" } });
    await db.savedView.create({ data: { name: `مفتوحة ${mode.name}`, query: "status=Open", ownerId: agent.id } });
    const { context, page } = await newPage(suite.browser, mode, audit);
    await step(page, "saved views in Arabic", async () => {
      await page.goto(`${suite.server.url}/login?next=/queue/views`);
      await signIn(page, agent.email, PASSWORD);
      await page.getByRole("heading", { name: "العروض المحفوظة", level: 1 }).waitFor();
      expect(await page.locator("html").getAttribute("dir")).toBe("rtl");
      if (js) await audit.axe(page, "saved views, Arabic");
    });
    await context.close();
  });
});

describeAudit(audit, { axeRuns: 4, pages: 4 });
