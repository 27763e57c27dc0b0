import { describe, expect, it } from "vitest";
import { createUser, PASSWORD } from "../helpers/app.js";
import { Audit, chromiumSuite, describeAudit, MODES, newPage, settled, signIn, step } from "./harness.js";

// Merge and link in Chromium, JavaScript off and on: an agent links two related tickets, mistypes
// a merge, merges a duplicate of the same requester (asked once more first) and lands on the
// survivor with both threads; then merges another person's ticket, which asks plainly; that
// person, in Arabic, still finds their own words on their own page and nothing of the other's.

const suite = chromiumSuite();
const audit = new Audit();

describe.each(MODES)("merge and link with JavaScript $name", (mode) => {
  const js = mode.javaScriptEnabled;

  it("an agent links, merges a duplicate and another person's ticket; each requester sees their own", async () => {
    const db = suite.server.t.db;
    const agent = await createUser(db, { role: "agent", name: `Alex ${mode.name}` });
    const rita = await createUser(db, { name: `Rita ${mode.name}` });
    const omar = await createUser(db, { name: `Omar ${mode.name}` });
    await db.user.update({ where: { id: omar.id }, data: { language: "ar" } });
    const open = async (requesterId: number, subject: string, description: string, minutesAgo: number) =>
      (
        await db.ticket.create({
          data: { subject, description, requesterId, createdAt: new Date(Date.now() - minutesAgo * 60_000) },
        })
      ).id;
    const survivor = await open(rita.id, `Printer jams ${mode.name}`, "The printer jams on page two.", 30);
    const duplicate = await open(rita.id, `Printer again ${mode.name}`, "Still jamming, tray looks bent.", 20);
    const others = await open(omar.id, `Printer on floor 2 ${mode.name}`, "Omar's printer words.", 10);

    const { context, page } = await newPage(suite.browser, mode, audit);
    const related = page.locator("#related");
    await step(page, "a related ticket linked", async () => {
      await page.goto(`${suite.server.url}/login?next=/tickets/${survivor}`);
      await signIn(page, agent.email, PASSWORD);
      await page.getByLabel("Link a related ticket (its number)").fill(String(others));
      await page.getByRole("button", { name: "Link", exact: true }).click();
      await settled(page, mode);
      await related.getByRole("link", { name: `#${others}` }).waitFor();
      await page.getByText(`Linked with #${others}.`).first().waitFor();
      if (js) await audit.axe(page, "ticket with a related ticket");
    });
    await step(page, "a mistyped merge comes back by its box", async () => {
      await page.goto(`${suite.server.url}/tickets/${duplicate}`);
      await page.getByLabel("Merge this ticket into ticket number").fill("9999999");
      await page.getByRole("button", { name: "Merge…" }).click();
      await settled(page, mode);
      await page.getByText("There is no ticket #9999999.").waitFor();
      expect(await page.getByLabel("Merge this ticket into ticket number").getAttribute("aria-invalid")).toBe("true");
    });
    await step(page, "the duplicate merged after one more look", async () => {
      await page.getByLabel("Merge this ticket into ticket number").fill(`#${survivor}`);
      await page.getByRole("button", { name: "Merge…" }).click();
      await settled(page, mode);
      await page.getByText("Both tickets are from the same requester").waitFor();
      if (js) await audit.axe(page, "merge to confirm");
      await page.getByRole("button", { name: `Merge into #${survivor}` }).click();
      await settled(page, mode);
      await page.getByText(`Ticket #${duplicate} was merged into #${survivor}.`).first().waitFor();
      expect(new URL(page.url()).pathname).toBe(`/tickets/${survivor}`);
      const thread = page.locator("#thread");
      await thread.getByText("Still jamming, tray looks bent.").waitFor();
      await thread.getByText(`opened #${duplicate}`).waitFor();
      if (js) await audit.axe(page, "survivor after a merge");
    });
    await step(page, "another person's ticket merged, after the plain warning", async () => {
      await page.goto(`${suite.server.url}/tickets/${others}`);
      await page.getByLabel("Merge this ticket into ticket number").fill(String(survivor));
      await page.getByRole("button", { name: "Merge…" }).click();
      await settled(page, mode);
      await page.getByText("The other ticket has a different requester.").waitFor();
      await page.getByRole("button", { name: `Merge into #${survivor}` }).click();
      await settled(page, mode);
      await page.locator("#thread").getByText("Omar's printer words.").waitFor();
    });
    await context.close();

    const asRita = await newPage(suite.browser, mode, audit);
    await step(asRita.page, "the requester follows the old number to the survivor", async () => {
      await asRita.page.goto(`${suite.server.url}/login?next=/tickets/${duplicate}`);
      await signIn(asRita.page, rita.email, PASSWORD);
      await asRita.page.locator("#thread").getByText("Still jamming, tray looks bent.").waitFor();
      expect(new URL(asRita.page.url()).pathname).toBe(`/tickets/${survivor}`);
      expect(await asRita.page.content()).not.toContain("Omar");
    });
    await asRita.context.close();

    const asOmar = await newPage(suite.browser, mode, audit);
    await step(asOmar.page, "the other requester, in Arabic, keeps their own page", async () => {
      await asOmar.page.goto(`${suite.server.url}/login?next=/tickets/${others}`);
      await signIn(asOmar.page, omar.email, PASSWORD);
      await asOmar.page.getByText("ضمّ فريق الدعم هذا الطلب إلى طلب آخر").waitFor();
      expect(await asOmar.page.locator("html").getAttribute("dir")).toBe("rtl");
      await asOmar.page.getByText("Omar's printer words.").waitFor();
      const html = await asOmar.page.content();
      expect(html).not.toContain("The printer jams on page two.");
      expect(html).not.toContain(`#${survivor}`);
      if (js) await audit.axe(asOmar.page, "merged ticket, Arabic");
    });
    await asOmar.context.close();
  });
});

describeAudit(audit, { axeRuns: 4, pages: 4 });
