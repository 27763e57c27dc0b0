import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { setStatus } from "../../src/tickets/changes.js";
import { createUser, PASSWORD } from "../helpers/app.js";
import { Audit, chromiumSuite, describeAudit, MODES, newPage, settled, signIn, step } from "./harness.js";

// Bulk triage in Chromium, JavaScript off and on: an agent applies with nothing ticked (refused next
// to the table), selects all on the page, unticks one, and raises the rest to Urgent with a tag
// while a colleague changes one of them: that one is named and left as it is. In Arabic too.

const suite = chromiumSuite();
const audit = new Audit();

describe.each(MODES)("bulk triage with JavaScript $name", (mode) => {
  const js = mode.javaScriptEnabled;

  it("an agent selects all on the page, leaves one out, and changes the rest; a ticket changed meanwhile is named", async () => {
    const db = suite.server.t.db;
    const agent = await createUser(db, { role: "agent", name: `Alex ${mode.name}` });
    const colleague = await createUser(db, { role: "agent", name: `Cole ${mode.name}` });
    const requester = await createUser(db, { name: `Rita ${mode.name}` });
    const label = `batch-${mode.name}`;
    const make = (n: number) =>
      db.ticket.create({
        data: {
          subject: `Kiosk ${n} frozen ${mode.name}`,
          description: "It froze.",
          requesterId: requester.id,
          tags: { create: { tag: { connectOrCreate: { where: { name: label }, create: { name: label } } } } },
        },
      });
    const first = await make(1);
    const second = await make(2);
    const third = await make(3);
    const tickets = [first, second, third];
    const view = `/queue?tag=${label}`;
    const { context, page } = await newPage(suite.browser, mode, audit);
    const box = (id: number) => page.locator(`#pick-${id}`);
    await step(page, "applying with nothing ticked is refused next to the table", async () => {
      await page.goto(`${suite.server.url}/login?next=${encodeURIComponent(view)}`);
      await signIn(page, agent.email, PASSWORD);
      await page.getByRole("heading", { name: "Queue", level: 1 }).waitFor();
      await page.locator("#bulkPriority").selectOption("Urgent");
      await page.getByRole("button", { name: "Change selected" }).click();
      await settled(page, mode);
      await page.locator("#tickets-error").getByText("Select at least one ticket in the table.").waitFor();
      // The choice made is kept.
      expect(await page.locator("#bulkPriority").inputValue()).toBe("Urgent");
      if (js) await audit.axe(page, "bulk refused");
    });
    await step(page, "select all on this page, then leave one out", async () => {
      await page.getByRole("button", { name: "Select all on this page" }).click();
      await settled(page, mode);
      for (const t of tickets) expect(await box(t.id).isChecked()).toBe(true);
      await page.getByRole("button", { name: "Clear the selection" }).waitFor();
      await box(third.id).uncheck();
      if (js) await audit.axe(page, "bulk, all selected");
    });
    await step(page, "applied: one changed, the one a colleague changed meanwhile named and left", async () => {
      // A colleague moves the second ticket on after this page was loaded.
      await setStatus(
        suite.server.t.deps,
        colleague,
        await db.ticket.findUniqueOrThrow({ where: { id: second.id } }),
        "Waiting",
      );
      await page.locator("#bulkPriority").selectOption("Urgent");
      await page.getByLabel("Add a tag", { exact: true }).fill("Escalated");
      await page.getByRole("button", { name: "Change selected" }).click();
      await settled(page, mode);
      const flash = page.locator("#flash");
      await flash.getByText(`1 ticket changed: #${first.id}.`).waitFor();
      await flash.getByText(`since you loaded the page: #${second.id}.`).waitFor();
      // The same view, up to date: the first row now Urgent and tagged.
      expect(new URL(page.url()).pathname + new URL(page.url()).search).toBe(view);
      const row = page.getByRole("row").filter({ hasText: first.subject });
      await row.getByText("Urgent").waitFor();
      await row.getByText("escalated", { exact: true }).waitFor();
      const rows = await db.ticket.findMany({
        where: { id: { in: tickets.map((t) => t.id) } },
        orderBy: { id: "asc" },
      });
      expect(rows.map((r) => [r.priority, r.status])).toEqual([
        ["Urgent", "Open"],
        ["Medium", "Waiting"],
        ["Medium", "Open"],
      ]);
      if (js) {
        // In place: the box of the ticket left as it was is still ticked, ready to try again.
        expect(await box(second.id).isChecked()).toBe(true);
        await audit.axe(page, "bulk applied");
      }
    });
    await step(page, "the view downloads as CSV, every ticket of it", async () => {
      const [download] = await Promise.all([
        page.waitForEvent("download"),
        page.getByRole("link", { name: "Download this view as CSV (every page)" }).click(),
      ]);
      expect(download.suggestedFilename()).toMatch(
        new RegExp(`^hyperdesk-queue-tag-batch-${mode.name}-\\d{4}-\\d{2}-\\d{2}\\.csv$`),
      );
      const text = readFileSync(await download.path(), "utf8");
      expect(text.startsWith("\uFEFFNumber,Subject,")).toBe(true);
      for (const ticket of tickets) expect(text).toContain(`${ticket.id},${ticket.subject},`);
      expect(text).toContain("escalated");
      // The page stays where it was (the link is left to the browser, not to htmx).
      expect(new URL(page.url()).pathname).toBe("/queue");
    });
    await context.close();
  });

  it("the bulk form in Arabic, right to left", async () => {
    const db = suite.server.t.db;
    const agent = await createUser(db, { role: "agent", name: `Amal ${mode.name}` });
    await db.user.update({ where: { id: agent.id }, data: { language: "ar" } });
    const requester = await createUser(db, { name: `Rami ${mode.name}` });
    await db.ticket.create({
      data: { subject: `Arabic bulk ${mode.name}`, description: "x", requesterId: requester.id },
    });
    const { context, page } = await newPage(suite.browser, mode, audit);
    await step(page, "bulk form in Arabic", async () => {
      await page.goto(`${suite.server.url}/login?next=/queue`);
      await signIn(page, agent.email, PASSWORD);
      await page.getByRole("button", { name: "تغيير المحدد" }).waitFor();
      expect(await page.locator("html").getAttribute("dir")).toBe("rtl");
      await page.getByRole("button", { name: "تغيير المحدد" }).click();
      await settled(page, mode);
      await page.locator("#tickets-error").getByText("حدد تذكرة واحدة على الأقل في الجدول.").waitFor();
      if (js) await audit.axe(page, "bulk, Arabic");
    });
    await context.close();
  });
});

describeAudit(audit, { axeRuns: 4, pages: 3 });
