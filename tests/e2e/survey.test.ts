import { describe, expect, it } from "vitest";
import { createUser, PASSWORD } from "../helpers/app.js";
import { Audit, chromiumSuite, describeAudit, MODES, newPage, settled, signIn, step } from "./harness.js";

// "How did we do?" in Chromium, JavaScript off and on: the requester follows the closing email's
// "Not good" link without signing in (the page shows that choice and records nothing yet), changes
// their mind, adds a comment and sends; the agent sees it on the ticket and the dashboard; the same
// page in Arabic, right to left; an admin turns the survey off.

const suite = chromiumSuite();
const audit = new Audit();

describe.each(MODES)("the satisfaction survey with JavaScript $name", (mode) => {
  const js = mode.javaScriptEnabled;

  it("a requester answers from the email's link; the desk sees it; an admin turns it off", async () => {
    const { t } = suite.server;
    const db = t.db;
    const agent = await createUser(db, { role: "agent", name: `Alex ${mode.name}` });
    const rita = await createUser(db, { name: `Rita ${mode.name}` });
    const subject = `Printer jams ${mode.name}`;
    const id = (await db.ticket.create({ data: { subject, description: "It jams.", requesterId: rita.id } })).id;

    const { context, page } = await newPage(suite.browser, mode, audit);
    await step(page, "the agent closes the ticket", async () => {
      await page.goto(`${suite.server.url}/login?next=/tickets/${id}`);
      await signIn(page, agent.email, PASSWORD);
      await page.getByRole("button", { name: "Close ticket" }).click();
      await settled(page, mode);
      await page.locator("#ticket-state").getByText("Closed", { exact: true }).first().waitFor();
    });
    const mail = await db.outboxMessage.findFirstOrThrow({ where: { ticketId: id, kind: "closed" } });
    const link = (rating: string) => mail.text.match(new RegExp(`https?://\\S+(/survey/\\S+\\?rating=${rating})`))![1]!;

    const requester = await newPage(suite.browser, mode, audit);
    await step(requester.page, "the link opens the page with that choice, and records nothing", async () => {
      await requester.page.goto(`${suite.server.url}${link("bad")}`);
      await requester.page.getByRole("heading", { name: "How did we do?" }).waitFor();
      expect(await requester.page.getByLabel("Not good").isChecked()).toBe(true);
      expect(await db.surveyAnswer.count({ where: { ticketId: id } })).toBe(0);
      if (js) await audit.axe(requester.page, "survey");
    });
    await step(requester.page, "sent without a choice, it comes back asking for one", async () => {
      await requester.page.goto(`${suite.server.url}${link("good").split("?")[0]}`);
      await requester.page.getByLabel("Anything to add? (optional)").fill("Fast, thank you");
      await requester.page.getByRole("button", { name: "Send my answer" }).click();
      await settled(requester.page, mode);
      await requester.page.getByText("Choose Good or Not good.").waitFor();
      expect(await requester.page.getByLabel("Anything to add? (optional)").inputValue()).toBe("Fast, thank you");
    });
    await step(requester.page, "the answer sent", async () => {
      await requester.page.getByLabel("Good", { exact: true }).check();
      await requester.page.getByRole("button", { name: "Send my answer" }).click();
      await settled(requester.page, mode);
      await requester.page.getByRole("heading", { name: "Thank you for your answer" }).waitFor();
      const row = await db.surveyAnswer.findFirstOrThrow({ where: { ticketId: id } });
      expect([row.rating, row.comment]).toEqual(["good", "Fast, thank you"]);
      if (js) await audit.axe(requester.page, "survey answered");
    });
    await requester.context.close();

    await step(page, "the agent sees it on the ticket and on the dashboard", async () => {
      await page.goto(`${suite.server.url}/tickets/${id}`);
      await page.locator("#satisfaction").getByText("Fast, thank you").waitFor();
      await page.goto(`${suite.server.url}/dashboard`);
      await page.getByRole("heading", { name: "Satisfaction" }).waitFor();
      await page
        .getByRole("link", { name: new RegExp(subject) })
        .first()
        .waitFor();
      if (js) await audit.axe(page, "dashboard with satisfaction");
    });
    await context.close();

    // The page in Arabic (the requester's phone says so), right to left.
    const arabic = await suite.browser.newContext({ javaScriptEnabled: js, locale: "ar" });
    const arPage = await arabic.newPage();
    audit.watch(arPage);
    await step(arPage, "the survey in Arabic", async () => {
      await arPage.goto(`${suite.server.url}${link("good")}`);
      await arPage.getByRole("heading", { name: "كيف كان أداؤنا؟" }).waitFor();
      expect(await arPage.locator("html").getAttribute("dir")).toBe("rtl");
      if (js) await audit.axe(arPage, "survey, Arabic");
    });
    await arabic.close();

    const admin = await createUser(db, { role: "admin", name: `Ada ${mode.name}` });
    const adminPage = await newPage(suite.browser, mode, audit);
    await step(adminPage.page, "an admin turns the survey off and on again", async () => {
      await adminPage.page.goto(`${suite.server.url}/login?next=/admin/mail`);
      await signIn(adminPage.page, admin.email, PASSWORD);
      await adminPage.page.getByRole("button", { name: "Turn the survey off" }).click();
      await settled(adminPage.page, mode);
      await adminPage.page.getByText("Off: closing emails ask nothing.").waitFor();
      if (js) await audit.axe(adminPage.page, "mail setup, survey off");
      await adminPage.page.getByRole("button", { name: "Turn the survey on" }).click();
      await settled(adminPage.page, mode);
      await adminPage.page.getByRole("button", { name: "Turn the survey off" }).waitFor();
    });
    await adminPage.context.close();
  });
});

describeAudit(audit, { axeRuns: 5, pages: 5 });
