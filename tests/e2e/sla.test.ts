import { describe, expect, it } from "vitest";
import { createUser, PASSWORD } from "../helpers/app.js";
import { Audit, chromiumSuite, describeAudit, MODES, newPage, settled, signIn, step } from "./harness.js";

// Service hours and due times in Chromium, with JavaScript off and on: an admin sets the desk's
// hours (a mistake first, said next to its box), an agent reads the due column and the ticket's
// targets; in English and in Arabic, right to left.

const suite = chromiumSuite();
const audit = new Audit();

describe.each(MODES)("service hours with JavaScript $name", (mode) => {
  const js = mode.javaScriptEnabled;

  it("an admin sets the business hours: a mistake is said next to its box, the fix is saved", async () => {
    const db = suite.server.t.db;
    const admin = await createUser(db, { role: "admin", name: `Ada ${mode.name}` });
    await db.setting.deleteMany({ where: { key: "sla.policy" } }); // the default again, whichever mode ran first
    const { context, page } = await newPage(suite.browser, mode, audit);
    await step(page, "open the page from the menu", async () => {
      await page.goto(`${suite.server.url}/login?next=/admin/users`);
      await signIn(page, admin.email, PASSWORD);
      await page.getByRole("link", { name: "Service hours" }).click();
      await page.getByRole("heading", { name: "Service hours and targets" }).waitFor();
      expect(await page.getByLabel("Monday").inputValue()).toBe("09:00-17:00");
      if (js) await audit.axe(page, "service hours");
    });
    await step(page, "a span that ends before it starts", async () => {
      await page.getByLabel("Monday").fill("09:00-12:00, 13:00-17:00");
      await page.getByLabel("Tuesday").fill("17:00-09:00");
      await page.getByLabel("First response, Urgent").fill("45m");
      await page.getByRole("button", { name: "Save service hours" }).click();
      await settled(page, mode);
      await page.locator("#hours_2-error").waitFor();
      expect(await page.locator("#hours_2-error").textContent()).toContain("each starts before it ends");
      expect(await page.getByLabel("Tuesday").getAttribute("aria-invalid")).toBe("true");
      // What was typed is still there.
      expect(await page.getByLabel("First response, Urgent").inputValue()).toBe("45m");
      if (!js) expect(await page.title()).toBe("Error: Service hours and targets · Hyperdesk");
      if (js) await audit.axe(page, "service hours refused");
    });
    await step(page, "fixed and saved", async () => {
      await page.getByLabel("Tuesday").fill("09:00-17:00");
      await page.getByRole("button", { name: "Save service hours" }).click();
      await settled(page, mode);
      await page.getByText("Saved.", { exact: false }).first().waitFor();
      expect(await page.getByLabel("Monday").inputValue()).toBe("09:00-12:00, 13:00-17:00");
      expect(await page.getByLabel("First response, Urgent").inputValue()).toBe("45m");
    });
    await context.close();
  });

  it("an agent reads due times in the queue and the targets on the ticket; the page in Arabic too", async () => {
    const db = suite.server.t.db;
    const requester = await createUser(db, { name: `Rita ${mode.name}` });
    const agent = await createUser(db, { role: "agent", name: `Alex ${mode.name}` });
    const subject = `Projector dead ${mode.name}`;
    const { context, page } = await newPage(suite.browser, mode, audit);
    await step(page, "the requester opens a ticket", async () => {
      await page.goto(`${suite.server.url}/login?next=/tickets/new`);
      await signIn(page, requester.email, PASSWORD);
      await page.getByLabel("Subject").fill(subject);
      await page.getByLabel("Description").fill("The projector in room 4 shows nothing.");
      await page.getByRole("button", { name: "Open ticket" }).click();
      await page.getByRole("heading", { name: new RegExp(subject) }).waitFor();
      await page.getByRole("button", { name: "Sign out" }).first().click();
      await page.getByText("You have signed out.").waitFor();
    });
    await step(page, "the queue says when it is due", async () => {
      await page.goto(`${suite.server.url}/login?next=${encodeURIComponent("/queue?status=active")}`);
      await signIn(page, agent.email, PASSWORD);
      const row = page.getByRole("row").filter({ hasText: subject });
      await row.waitFor();
      expect(await row.locator(".due").textContent()).toMatch(/^Due /);
      if (js) await audit.axe(page, "queue with due times");
    });
    await step(page, "the ticket shows both targets", async () => {
      await page.getByRole("link", { name: subject }).click();
      await page.getByRole("heading", { name: new RegExp(subject) }).waitFor();
      const facts = page.locator("#ticket-state");
      expect(await facts.getByText("First response").count()).toBe(1);
      expect(await facts.getByText("Resolution").count()).toBe(1);
      if (js) await audit.axe(page, "ticket with targets");
    });
    await step(page, "due soonest first, and the overdue alone", async () => {
      // Three tickets of one requester: due in five hours, overdue by one, due in one.
      const dora = await createUser(db, { name: `Dora ${mode.name}` });
      const now = suite.server.t.clock.now().getTime();
      const due = (label: string, hours: number) =>
        db.ticket.create({
          data: {
            subject: `${label} ${mode.name}`,
            description: "Timed.",
            requesterId: dora.id,
            nextDueAt: new Date(now + hours * 3_600_000),
            nextRiskAt: new Date(now + (hours - 1) * 3_600_000),
          },
        });
      await due("Later", 5);
      await due("Late", -1);
      await due("Soon", 1);
      await page.goto(`${suite.server.url}/queue`);
      await page.getByLabel("Requester (name or email)").fill(`Dora ${mode.name}`);
      await page.getByLabel("Sort").selectOption("due");
      await page.getByRole("button", { name: "Apply" }).click();
      await settled(page, mode);
      const subjects = page.locator(`#queue-results tbody tr a[href^="/tickets/"]`);
      await page
        .getByRole("row")
        .filter({ hasText: `Later ${mode.name}` })
        .waitFor();
      expect(await subjects.allTextContents()).toEqual([
        `Late ${mode.name}`,
        `Soon ${mode.name}`,
        `Later ${mode.name}`,
      ]);
      await page.getByLabel("Due", { exact: true }).selectOption("overdue");
      await page.getByRole("button", { name: "Apply" }).click();
      await settled(page, mode);
      await page
        .getByRole("row")
        .filter({ hasText: `Soon ${mode.name}` })
        .waitFor({ state: "detached" });
      expect(await subjects.allTextContents()).toEqual([`Late ${mode.name}`]);
      const row = page.getByRole("row").filter({ hasText: `Late ${mode.name}` });
      expect(await row.locator(".due").textContent()).toMatch(/^Overdue/);
      // The view is its URL, with htmx too (pushed): it can be bookmarked and shared.
      expect(new URL(page.url()).searchParams.get("due")).toBe("overdue");
      if (js) await audit.axe(page, "queue, overdue, due soonest");
    });
    await step(page, "in Arabic, right to left", async () => {
      await page.goto(`${suite.server.url}/queue?status=active`);
      await page.getByLabel("Language").selectOption("ar");
      await page.getByRole("button", { name: "Change", exact: true }).click();
      await page.waitForFunction(() => document.documentElement.dir === "rtl");
      expect(await page.locator("html").getAttribute("dir")).toBe("rtl");
      await page.getByRole("columnheader", { name: "الاستحقاق" }).waitFor();
      if (js) await audit.axe(page, "queue with due times, Arabic");
    });
    await context.close();
    const admin = await createUser(db, { role: "admin", name: `Amal ${mode.name}` });
    await db.user.update({ where: { id: admin.id }, data: { language: "ar" } });
    const second = await newPage(suite.browser, mode, audit);
    await step(second.page, "the service hours page in Arabic", async () => {
      await second.page.goto(`${suite.server.url}/login?next=/admin/sla`);
      await signIn(second.page, admin.email, PASSWORD);
      await second.page.getByRole("heading", { name: "ساعات الخدمة والأهداف" }).waitFor();
      expect(await second.page.locator("html").getAttribute("dir")).toBe("rtl");
      if (js) await audit.axe(second.page, "service hours, Arabic");
    });
    await second.context.close();
  });
});

describeAudit(audit, { axeRuns: 7, pages: 4 });
