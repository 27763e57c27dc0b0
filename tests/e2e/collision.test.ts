import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import type { CurrentUser } from "../../src/env.js";
import { addReply } from "../../src/tickets/thread.js";
import { createUser, PASSWORD } from "../helpers/app.js";
import { Audit, chromiumSuite, describeAudit, MODES, newPage, settled, signIn, step } from "./harness.js";

// Seeing others' work in Chromium, JavaScript off and on: an agent writes an answer while a colleague
// answers first; the agent's reply is held with the text kept and the colleague's answer shown, and
// "Send anyway" sends it. JS on, the page tells of news once a minute while in view (the page's clock
// is Playwright's, moved on by hand), never while hidden; JS off, it never asks. In Arabic too.

const suite = chromiumSuite();
const audit = new Audit();

/** The colleague answers, as the desk's own code does for any reply. */
async function colleagueReplies(colleague: CurrentUser, ticketId: number, body: string) {
  const { db, deps, clock } = suite.server.t;
  // A second apart: each answer is a change of its own (one change is one update however many lines).
  clock.advance(1000);
  const ticket = await db.ticket.findUniqueOrThrow({ where: { id: ticketId } });
  const posted = await addReply(deps, colleague, ticket, body);
  expect(posted.replyId).not.toBeNull();
}

/** The tab goes out of view (or back), as the browser tells a page. */
const setHidden = (page: Page, hidden: boolean) =>
  page.evaluate((h) => {
    Object.defineProperty(document, "hidden", { configurable: true, get: () => h });
    Object.defineProperty(document, "visibilityState", { configurable: true, get: () => (h ? "hidden" : "visible") });
    document.dispatchEvent(new Event("visibilitychange"));
  }, hidden);

describe.each(MODES)("collision with JavaScript $name", (mode) => {
  const js = mode.javaScriptEnabled;

  it("a reply held for a colleague's answer keeps the text and is sent anyway", async () => {
    const db = suite.server.t.db;
    const ann = await createUser(db, { role: "agent", name: `Ann ${mode.name}` });
    const bob = await createUser(db, { role: "agent", name: `Bob ${mode.name}` });
    const requester = await createUser(db, { name: `Rita ${mode.name}` });
    const ticket = await db.ticket.create({
      data: { subject: `Printer jams ${mode.name}`, description: "Paper stuck.", requesterId: requester.id },
    });
    const { context, page } = await newPage(suite.browser, mode, audit);
    const polls: string[] = [];
    page.on("request", (r) => {
      if (r.url().includes("/updates?") && !r.url().includes("show=1")) polls.push(r.url());
    });
    if (js) await page.clock.install();
    const typed = `Open the side door and pull the paper (${mode.name}).`;
    await step(page, "the agent opens the ticket and writes", async () => {
      await page.goto(`${suite.server.url}/login?next=/tickets/${ticket.id}`);
      await signIn(page, ann.email, PASSWORD);
      await page.getByLabel("Your message").fill(typed);
    });
    if (js) {
      await step(page, "a minute later the page says a colleague answered", async () => {
        await colleagueReplies(bob, ticket.id, "Try the green lever.");
        expect(polls).toEqual([]);
        await page.clock.fastForward(61_000);
        await page.getByText("1 new update since you opened this page.").waitFor();
        expect(polls).toHaveLength(1);
        await audit.axe(page, "ticket with news");
      });
      await step(page, "a hidden tab never asks; back in view it asks at once", async () => {
        await setHidden(page, true);
        await colleagueReplies(bob, ticket.id, "Or the blue one.");
        await page.clock.fastForward(5 * 60_000);
        expect(polls).toHaveLength(1);
        await setHidden(page, false);
        await page.getByText("2 new updates since you opened this page.").waitFor();
        expect(polls).toHaveLength(2);
      });
      await step(page, "Show brings them in; the text stays", async () => {
        await page.getByRole("link", { name: "Show" }).click();
        await settled(page, mode);
        await page.locator("#thread").getByText("Or the blue one.").waitFor();
        expect(await page.locator("#updates").textContent()).toBe("");
        expect(await page.getByLabel("Your message").inputValue()).toBe(typed);
      });
    }
    await step(page, "a colleague answers again; the reply is held, the text kept", async () => {
      await colleagueReplies(bob, ticket.id, "Never mind, I fixed it.");
      await page.getByRole("button", { name: "Send reply", exact: true }).click();
      await settled(page, mode);
      const held = page.locator("#held");
      await held.getByText("Not sent yet: an update came in while you were writing.").waitFor();
      expect(await held.textContent()).toContain(`Bob ${mode.name} replied`);
      await page.locator("#thread").getByText("Never mind, I fixed it.").waitFor();
      expect(await page.getByLabel("Your message").inputValue()).toBe(typed);
      expect(await db.reply.count({ where: { ticketId: ticket.id, body: typed } })).toBe(0);
      if (js) await audit.axe(page, "reply held");
    });
    await step(page, "Send anyway sends it", async () => {
      await page.getByRole("button", { name: "Send anyway" }).click();
      await settled(page, mode);
      await page.getByText("Reply sent.").first().waitFor();
      await page.locator("#thread").getByText(typed).waitFor();
      expect(await db.reply.count({ where: { ticketId: ticket.id, body: typed } })).toBe(1);
    });
    // JS off nothing ever asked; JS on, only the two polls above (the clock stood still since).
    expect(polls).toHaveLength(js ? 2 : 0);
    await context.close();
  });

  it("the held reply in Arabic, right to left", async () => {
    const db = suite.server.t.db;
    const amal = await createUser(db, { role: "agent", name: `أمل ${mode.name}` });
    await db.user.update({ where: { id: amal.id }, data: { language: "ar" } });
    const bob = await createUser(db, { role: "agent", name: `Bob ar ${mode.name}` });
    const requester = await createUser(db, { name: `Rana ${mode.name}` });
    const ticket = await db.ticket.create({
      data: { subject: `الطابعة ${mode.name}`, description: "الورق عالق.", requesterId: requester.id },
    });
    const { context, page } = await newPage(suite.browser, mode, audit);
    await step(page, "held, in Arabic", async () => {
      await page.goto(`${suite.server.url}/login?next=/tickets/${ticket.id}`);
      await signIn(page, amal.email, PASSWORD);
      await page.getByLabel("رسالتك").fill("افتح الباب الجانبي.");
      await colleagueReplies(bob, ticket.id, "Try the green lever.");
      await page.getByRole("button", { name: "إرسال الرد", exact: true }).click();
      await settled(page, mode);
      await page.locator("#held").getByText("لم يُرسل بعد").waitFor();
      expect(await page.locator("html").getAttribute("dir")).toBe("rtl");
      expect(await page.getByLabel("رسالتك").inputValue()).toBe("افتح الباب الجانبي.");
      if (js) await audit.axe(page, "reply held, Arabic");
    });
    await context.close();
  });
});

describeAudit(audit, { axeRuns: 3, pages: 3 });
