import { describe, expect, it } from "vitest";
import { createUser, PASSWORD } from "../helpers/app.js";
import { Audit, chromiumSuite, describeAudit, MODES, newPage, settled, signIn, step } from "./harness.js";

// The desk's own statuses in Chromium, JavaScript off and on: an admin adds one (a taken name
// first, refused next to the box), an agent sets a ticket to it and finds it under its tab, the
// admin renames it and cannot remove it while a ticket has it; the page in Arabic too.

const suite = chromiumSuite();
const audit = new Audit();

describe.each(MODES)("statuses with JavaScript $name", (mode) => {
  const js = mode.javaScriptEnabled;

  it("an admin adds a waiting status, an agent uses it, the admin renames it and cannot remove it", async () => {
    const db = suite.server.t.db;
    const adminUser = await createUser(db, { role: "admin", name: `Ada ${mode.name}` });
    const requester = await createUser(db, { name: `Rita ${mode.name}` });
    const subject = `Scanner part ${mode.name}`;
    const ticket = await db.ticket.create({ data: { subject, description: "Broken.", requesterId: requester.id } });
    const name = `Parts ${mode.name}`;
    const { context, page } = await newPage(suite.browser, mode, audit);
    await step(page, "a taken name is refused next to the box", async () => {
      await page.goto(`${suite.server.url}/login?next=/admin/statuses`);
      await signIn(page, adminUser.email, PASSWORD);
      await page.getByRole("heading", { name: "Statuses", level: 1 }).waitFor();
      await page.getByLabel("Name", { exact: true }).fill("closed");
      await page.getByRole("button", { name: "Add status" }).click();
      await settled(page, mode);
      await page.locator("#status-name-error").getByText("There is a status with this name already.").waitFor();
      if (js) await audit.axe(page, "status refused");
    });
    await step(page, "added as a waiting status", async () => {
      await page.getByLabel("Name", { exact: true }).fill(name);
      await page.getByLabel(/^Waiting on the requester/).check();
      await page.getByRole("button", { name: "Add status" }).click();
      await settled(page, mode);
      await page.getByText(`Added the status “${name}”.`).first().waitFor();
      if (js) await audit.axe(page, "statuses");
    });
    await step(page, "the ticket is set to it and found under its tab", async () => {
      await page.goto(`${suite.server.url}/tickets/${ticket.id}`);
      await page.getByLabel("Status", { exact: true }).selectOption(name);
      await page.getByRole("button", { name: "Save changes" }).click();
      await settled(page, mode);
      await page.locator("#ticket-state").getByText(name, { exact: true }).first().waitFor();
      expect((await db.ticket.findUniqueOrThrow({ where: { id: ticket.id } })).slaPausedAt).not.toBeNull();
      await page.goto(`${suite.server.url}/queue`);
      await page
        .locator("#status-counts")
        .getByRole("link", { name: `${name}: 1` })
        .click();
      await settled(page, mode);
      await page.getByRole("row").filter({ hasText: subject }).waitFor();
    });
    const renamed = `Spare parts ${mode.name}`;
    await step(page, "renamed, and not removed while the ticket has it", async () => {
      await page.goto(`${suite.server.url}/admin/statuses`);
      const { id } = await db.ticketStatus.findUniqueOrThrow({ where: { name } });
      await page.getByLabel(`New name for “${name}”`).fill(renamed);
      await page.locator(`#rename-${id}`).getByRole("button", { name: "Rename" }).click();
      await settled(page, mode);
      await page.getByText(`Renamed “${name}” to “${renamed}”`).first().waitFor();
      expect((await db.ticket.findUniqueOrThrow({ where: { id: ticket.id } })).status).toBe(renamed);
      await page.getByRole("button", { name: `Remove the status ${renamed}` }).click();
      await settled(page, mode);
      await page.getByText(`“${renamed}” is the status of 1 ticket`).waitFor();
      expect(await db.ticketStatus.count({ where: { name: renamed } })).toBe(1);
    });
    await context.close();
  });

  it("the statuses page in Arabic, right to left", async () => {
    const db = suite.server.t.db;
    const admin = await createUser(db, { role: "admin", name: `Amal ${mode.name}` });
    await db.user.update({ where: { id: admin.id }, data: { language: "ar" } });
    const { context, page } = await newPage(suite.browser, mode, audit);
    await step(page, "statuses in Arabic", async () => {
      await page.goto(`${suite.server.url}/login?next=/admin/statuses`);
      await signIn(page, admin.email, PASSWORD);
      await page.getByRole("heading", { name: "الحالات", level: 1 }).waitFor();
      expect(await page.locator("html").getAttribute("dir")).toBe("rtl");
      if (js) await audit.axe(page, "statuses, Arabic");
    });
    await context.close();
  });
});

describeAudit(audit, { axeRuns: 3, pages: 3 });
