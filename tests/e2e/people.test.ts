import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { createUser, PASSWORD } from "../helpers/app.js";
import { Audit, chromiumSuite, describeAudit, MODES, newPage, signIn, step } from "./harness.js";

// What a UX review found hurting people at a kiosk and at an agent's desk, each shown in Chromium
// with JavaScript off and on.

const suite = chromiumSuite();
const audit = new Audit();

/** How far the page can be scrolled sideways, measured by the browser's layout (no page script needed). */
async function overflow(page: Page, selector: string) {
  const box = (await page.locator(selector).first().boundingBox())!;
  const viewport = page.viewportSize()!;
  return Math.max(0, Math.round(box.x + box.width - viewport.width));
}

describe.each(MODES)("people's screens with JavaScript $name", (mode) => {
  const js = mode.javaScriptEnabled;

  it("one long word in a subject wraps: lists, the queue and the ticket stay within the screen", async () => {
    const db = suite.server.t.db;
    const requester = await createUser(db, { name: `Wren ${mode.name}` });
    const agent = await createUser(db, { role: "agent", name: `Avery ${mode.name}` });
    const word = `C:\\Users\\kiosk\\AppData\\${"VeryLongFolderName".repeat(12)}\\report.pdf`;
    const ticket = await db.ticket.create({
      data: {
        subject: `Cannot open ${word}`,
        description: `The file ${word} will not open.`,
        requesterId: requester.id,
      },
    });
    for (const [size, who, path, selector] of [
      [{ width: 1440, height: 900 }, agent, "/queue?status=active", "table"],
      [{ width: 360, height: 640 }, agent, "/queue?status=active", "table"],
      [{ width: 360, height: 640 }, requester, "/tickets", "table"],
      [{ width: 360, height: 640 }, requester, `/tickets/${ticket.id}`, "h1"],
      [{ width: 1440, height: 900 }, requester, `/tickets/${ticket.id}`, ".description"],
    ] as const) {
      const { context, page } = await newPage(suite.browser, mode, audit);
      await page.setViewportSize(size);
      await step(page, `${path} at ${size.width}px`, async () => {
        await page.goto(`${suite.server.url}/login?next=${encodeURIComponent(path)}`);
        await signIn(page, who.email, PASSWORD);
        await page.getByText("VeryLongFolderName", { exact: false }).first().waitFor();
        expect(await overflow(page, selector), `${selector} on ${path} at ${size.width}px`).toBe(0);
        expect(await overflow(page, "main"), `main on ${path} at ${size.width}px`).toBe(0);
        if (js) await audit.axe(page, `long word on ${path} at ${size.width}px`);
      });
      await context.close();
    }
  });

  it("Back after opening a ticket, then the same form again: asked before a second ticket is made", async () => {
    const db = suite.server.t.db;
    const requester = await createUser(db, { name: `Bea ${mode.name}` });
    const subject = `Heating off in hall B ${mode.name}`;
    const fill = async (page: Page) => {
      await page.getByLabel("Subject").fill(subject);
      await page.getByLabel("Description").fill("The radiators in hall B are cold since Monday.");
    };
    const { context, page } = await newPage(suite.browser, mode, audit);
    let first = 0;
    await step(page, "open the ticket", async () => {
      await page.goto(`${suite.server.url}/login?next=/tickets/new`);
      await signIn(page, requester.email, PASSWORD);
      await fill(page);
      await page.getByRole("button", { name: "Open ticket" }).click();
      await page.getByRole("heading", { name: new RegExp(subject) }).waitFor();
      first = Number(new URL(page.url()).pathname.split("/").pop());
    });
    await step(page, "Back, and the refilled form sent again", async () => {
      await page.goBack();
      await page.getByRole("heading", { name: "Open a ticket" }).waitFor();
      await fill(page);
      await page.getByRole("button", { name: "Open ticket" }).click();
      await page.getByText(`You opened this as #${first}`).waitFor();
      expect(await db.ticket.count({ where: { subject } })).toBe(1);
      if (js) await audit.axe(page, "the same ticket again");
    });
    await step(page, "the link leads to the first; Open it anyway makes a second", async () => {
      expect(await page.getByRole("link", { name: `See ticket #${first}` }).getAttribute("href")).toBe(
        `/tickets/${first}`,
      );
      await page.getByRole("button", { name: "Open it anyway" }).click();
      await page.getByRole("heading", { name: new RegExp(subject) }).waitFor();
      expect(Number(new URL(page.url()).pathname.split("/").pop())).not.toBe(first);
      expect(await db.ticket.count({ where: { subject } })).toBe(2);
    });
    await context.close();
  });

  it("the queue uses a wide screen, and a later page (JS off) offers the first page again", async () => {
    const db = suite.server.t.db;
    const requester = await createUser(db, { name: `Quinn ${mode.name}`, email: `quinn-${mode.name}@example.com` });
    const agent = await createUser(db, { role: "agent", name: `Wide ${mode.name}` });
    await db.ticket.createMany({
      data: Array.from({ length: 30 }, (_, i) => ({
        subject: `Monitor flickers at desk ${i + 1}`,
        description: "The monitor flickers.",
        requesterId: requester.id,
      })),
    });
    const { context, page } = await newPage(suite.browser, mode, audit);
    await page.setViewportSize({ width: 1440, height: 900 });
    const view = `/queue?status=active&requester=${encodeURIComponent(requester.email)}`;
    await step(page, "wide at 1440 px, one line per row", async () => {
      await page.goto(`${suite.server.url}/login?next=${encodeURIComponent(view)}`);
      await signIn(page, agent.email, PASSWORD);
      await page.getByRole("heading", { name: "Queue" }).waitFor();
      const table = (await page.locator("table").first().boundingBox())!;
      expect(table.width).toBeGreaterThan(1200);
      const row = (await page.locator("#ticket-rows tr").first().boundingBox())!;
      const line = (await page.locator("#ticket-rows tr td").first().boundingBox())!;
      expect(row.height).toBeLessThan(line.height * 1.5 + 8);
    });
    await step(page, "next page, and back to the first", async () => {
      await page.getByRole("link", { name: "Next page of tickets" }).click();
      if (js) {
        // With htmx the next rows are added below: the first page never left the screen.
        await page.waitForFunction(() => document.querySelectorAll("#ticket-rows tr").length === 30);
        expect(await page.getByRole("link", { name: "First page" }).count()).toBe(0);
      } else {
        await page.getByRole("link", { name: "First page" }).waitFor();
        expect(await page.locator("#ticket-rows tr").count()).toBe(5);
        await page.getByRole("link", { name: "First page" }).click();
        await page.waitForURL((url) => !url.search.includes("cursor"));
        expect(await page.locator("#ticket-rows tr").count()).toBe(25);
      }
      if (js) await audit.axe(page, "queue at 1440 px");
    });
    await context.close();
  });

  it("an agent takes a ticket with one button, and answers and sets Waiting with one more", async () => {
    const db = suite.server.t.db;
    const requester = await createUser(db);
    const agent = await createUser(db, { role: "agent", name: `Tess ${mode.name}` });
    const ticket = await db.ticket.create({
      data: { subject: `Phone line dead ${mode.name}`, description: "No dial tone.", requesterId: requester.id },
    });
    const { context, page } = await newPage(suite.browser, mode, audit);
    const state = page.locator("#ticket-state");
    await step(page, "Assign to me", async () => {
      await page.goto(`${suite.server.url}/login?next=/tickets/${ticket.id}`);
      await signIn(page, agent.email, PASSWORD);
      await page.getByRole("button", { name: "Assign to me" }).click();
      await state.getByText(`Tess ${mode.name}`, { exact: true }).waitFor();
      expect(await page.getByRole("button", { name: "Assign to me" }).count()).toBe(0);
      expect((await db.ticket.findUniqueOrThrow({ where: { id: ticket.id } })).assigneeId).toBe(agent.id);
    });
    await step(page, "Send and set Waiting", async () => {
      await page.getByLabel("Your message").fill("Is the cable plugged in at the wall?");
      await page.getByRole("button", { name: "Send and set Waiting" }).click();
      await page.getByText("Reply sent. The ticket waits for the requester.").waitFor();
      await page.locator("#thread").getByText("Is the cable plugged in at the wall?").waitFor();
      // Waiting says who waits: to the agent, the requester.
      await state.getByText("Waiting on the requester", { exact: true }).first().waitFor();
      expect((await db.ticket.findUniqueOrThrow({ where: { id: ticket.id } })).status).toBe("Waiting");
      if (js) await audit.axe(page, "agent's ticket after send and wait");
    });
    await step(page, "one triage form; the keyboard stays on Save after an in-place save", async () => {
      await page.getByLabel("Priority", { exact: true }).selectOption("Urgent");
      await page.getByRole("button", { name: "Save changes" }).focus();
      await page.keyboard.press("Enter");
      await page.getByText("Saved: priority Urgent.").waitFor();
      if (js) expect(await page.evaluate(() => document.activeElement?.id)).toBe("do-triage");
      expect((await db.ticket.findUniqueOrThrow({ where: { id: ticket.id } })).priority).toBe("Urgent");
    });
    await context.close();
  });

  it("a ticket prints as its number, subject, state, thread and exact dates, without navigation, buttons or forms", async () => {
    const db = suite.server.t.db;
    const requester = await createUser(db, { name: `Pria ${mode.name}` });
    const ticket = await db.ticket.create({
      data: { subject: `Printed ticket ${mode.name}`, description: "Please print me.", requesterId: requester.id },
    });
    await db.reply.create({ data: { ticketId: ticket.id, authorId: requester.id, body: "A reply on paper." } });
    const { context, page } = await newPage(suite.browser, mode, audit);
    await step(page, "print view", async () => {
      await page.goto(`${suite.server.url}/login?next=/tickets/${ticket.id}`);
      await signIn(page, requester.email, PASSWORD);
      await page.getByRole("heading", { name: new RegExp(`Printed ticket ${mode.name}`) }).waitFor();
      expect(await page.getByRole("navigation", { name: "Main" }).isVisible()).toBe(true);
      await page.emulateMedia({ media: "print" });
      expect(await page.getByRole("heading", { name: new RegExp(`#${ticket.id} Printed ticket`) }).isVisible()).toBe(
        true,
      );
      expect(await page.getByText("A reply on paper.").isVisible()).toBe(true);
      expect(await page.locator("#ticket-state dd").first().isVisible()).toBe(true);
      expect(await page.getByRole("navigation", { name: "Main" }).isVisible()).toBe(false);
      for (const selector of ["form", "button", "textarea"]) {
        const visible = await page
          .locator(selector)
          .evaluateAll((els) => els.filter((e) => (e as HTMLElement).offsetParent !== null).length);
        expect(visible, selector).toBe(0);
      }
      // Dates print exactly: the relative time is followed by its exact moment.
      const printed = await page
        .locator("#ticket-state time")
        .first()
        .evaluate((el) => getComputedStyle(el, "::after").content);
      expect(printed).toMatch(/UTC/);
      await page.emulateMedia({ media: "screen" });
    });
    await context.close();
  });

  it("dark mode when the device asks for it, with contrast that passes axe on every kind of page", async () => {
    const db = suite.server.t.db;
    const requester = await createUser(db, { name: `Dana ${mode.name}` });
    const admin = await createUser(db, { role: "admin", name: `Nox ${mode.name}` });
    const ticket = await db.ticket.create({
      data: {
        subject: `Dark ticket ${mode.name}`,
        description: "Seen at night.",
        priority: "High",
        requesterId: requester.id,
      },
    });
    await db.reply.create({
      data: { ticketId: ticket.id, authorId: admin.id, body: "An internal note.", internal: true },
    });
    await db.reply.create({ data: { ticketId: ticket.id, authorId: admin.id, body: "A public reply." } });
    const { context, page } = await newPage(suite.browser, mode, audit);
    await page.emulateMedia({ colorScheme: "dark" });
    await step(page, "the sign-in page with an error, dark", async () => {
      await page.goto(`${suite.server.url}/login`);
      const background = await page
        .evaluate(() => getComputedStyle(document.documentElement).backgroundColor)
        .catch(() => null);
      if (js) expect(background).toBe("rgb(13, 17, 23)");
      await page.getByLabel("Email").fill(admin.email);
      await page.getByLabel("Password").fill("not the password");
      await page.getByRole("button", { name: "Sign in", exact: true }).click();
      await page.locator(".error-summary").waitFor();
      if (js) await audit.axe(page, "dark: sign-in error");
    });
    await step(page, "signed in, dark", async () => {
      await signIn(page, admin.email, PASSWORD);
      await page.getByRole("heading", { name: "Queue" }).waitFor();
      for (const path of [
        "/queue?status=active",
        `/tickets/${ticket.id}`,
        "/account",
        "/admin/users",
        "/admin/outbox",
        "/dashboard",
      ]) {
        await page.goto(`${suite.server.url}${path}`);
        await page.locator("h1").first().waitFor();
        if (js) await audit.axe(page, `dark: ${path}`);
      }
    });
    await context.close();
  });

  it("right-to-left text reads right to left: subjects, descriptions, replies and names", async () => {
    const db = suite.server.t.db;
    const requester = await createUser(db, { name: `نادية ${mode.name}` });
    const agent = await createUser(db, { role: "agent", name: `Avi ${mode.name}` });
    const subject = `המדפסת בקומה 2 לא עובדת! ${mode.name}`;
    const ticket = await db.ticket.create({
      data: { subject, description: "המדפסת מדפיסה דפים ריקים.", requesterId: requester.id },
    });
    await db.reply.create({ data: { ticketId: ticket.id, authorId: requester.id, body: "شكرا، ما زالت لا تعمل." } });
    const { context, page } = await newPage(suite.browser, mode, audit);
    const rtl = (selector: string) =>
      page
        .locator(selector)
        .first()
        .evaluate((el) => el.matches(":dir(rtl)"));
    await step(page, "in the queue and on the ticket", async () => {
      await page.goto(`${suite.server.url}/login?next=${encodeURIComponent(`/tickets/${ticket.id}`)}`);
      await signIn(page, agent.email, PASSWORD);
      await page.locator("h1 bdi").waitFor();
      expect(await rtl("h1 bdi")).toBe(true);
      expect(await rtl(".description")).toBe(true);
      expect(await rtl("#thread .reply-body")).toBe(true);
      expect(await rtl("#thread .meta bdi")).toBe(true);
      expect(await rtl("#ticket-state dd bdi")).toBe(true);
      await page.goto(`${suite.server.url}/queue?status=active&requester=${encodeURIComponent(requester.email)}`);
      expect(await rtl("#ticket-rows a[dir=auto]")).toBe(true);
      expect(await rtl("#ticket-rows td bdi")).toBe(true);
      // English text around it stays left to right.
      expect(
        await page
          .locator("h1")
          .first()
          .evaluate((el) => el.matches(":dir(ltr)")),
      ).toBe(true);
      if (js) await audit.axe(page, "queue with right-to-left text");
    });
    await context.close();
  });

  it("an agent lands on the queue, and a ticket opened from a filtered view leads back to it", async () => {
    const db = suite.server.t.db;
    const requester = await createUser(db);
    const agent = await createUser(db, { role: "agent", name: `Morgan ${mode.name}` });
    const ticket = await db.ticket.create({
      data: {
        subject: `Urgent badge reader ${mode.name}`,
        description: "Nobody can get in.",
        priority: "Urgent",
        requesterId: requester.id,
      },
    });
    const { context, page } = await newPage(suite.browser, mode, audit);
    const nav = (name: string) =>
      page.getByRole("navigation", { name: "Main" }).getByRole("link", { name, exact: true });
    await step(page, "sign in lands on the queue", async () => {
      await page.goto(`${suite.server.url}/login`);
      await signIn(page, agent.email, PASSWORD);
      await page.getByRole("heading", { name: "Queue" }).waitFor();
      expect(new URL(page.url()).search).toBe("?status=active");
    });
    const view = "/queue?status=active&priority=Urgent&sort=oldest";
    await step(page, "open a ticket from a filtered view", async () => {
      await page.goto(`${suite.server.url}${view}`);
      await page.getByRole("link", { name: ticket.subject }).click();
      await page.getByRole("heading", { name: new RegExp(ticket.subject) }).waitFor();
      expect(await nav("Queue").getAttribute("aria-current")).toBe("page");
      expect(await nav("My tickets").getAttribute("aria-current")).toBeNull();
      expect(await page.getByRole("link", { name: "Back to the queue" }).getAttribute("href")).toBe(view);
      if (js) await audit.axe(page, "ticket opened from the queue");
    });
    await step(page, "after a change, back still leads to the same view", async () => {
      await page.getByLabel("Priority", { exact: true }).selectOption("High");
      await page.getByRole("button", { name: "Save changes" }).click();
      await page.getByText("Saved: priority High.").waitFor();
      await page.getByRole("link", { name: "Back to the queue" }).click();
      await page.waitForURL((url) => url.search === new URL(view, "http://x").search);
      await page.getByRole("heading", { name: "Queue" }).waitFor();
    });
    await step(page, "this view becomes where the agent starts: the menu and the next sign-in lead there", async () => {
      await page.getByRole("button", { name: "Start here after signing in" }).click();
      await page.getByText("You start at this view after signing in.").first().waitFor();
      expect(await nav("Queue").getAttribute("href")).toBe(js ? "/queue?status=active" : view);
      if (js) await audit.axe(page, "queue with a start view saved");
      await page.getByRole("button", { name: "Sign out" }).click();
      await page.getByText("It is safe to leave this computer.").waitFor();
      await page.goto(`${suite.server.url}/login`);
      await signIn(page, agent.email, PASSWORD);
      await page.getByRole("heading", { name: "Queue" }).waitFor();
      expect(new URL(page.url()).search).toBe(new URL(view, "http://x").search);
      expect(await nav("Queue").getAttribute("href")).toBe(view);
    });
    await context.close();
  });

  it("times read as how long ago, and a closed ticket says that replying reopens it", async () => {
    const db = suite.server.t.db;
    const requester = await createUser(db, { name: `Robin ${mode.name}` });
    const now = suite.server.t.clock.now().getTime();
    const ticket = await db.ticket.create({
      data: {
        subject: `Closed monitor ticket ${mode.name}`,
        description: "It was fixed, then broke again.",
        status: "Closed",
        closedAt: new Date(now - 2 * 3_600_000),
        createdAt: new Date(now - 3 * 3_600_000),
        updatedAt: new Date(now - 2 * 3_600_000),
        requesterId: requester.id,
      },
    });
    const { context, page } = await newPage(suite.browser, mode, audit);
    await step(page, "relative times with the exact one on hover", async () => {
      await page.goto(`${suite.server.url}/login?next=/tickets`);
      await signIn(page, requester.email, PASSWORD);
      const updated = page.locator("#ticket-rows time").first();
      expect(await updated.textContent()).toBe("2 hours ago");
      expect(await updated.getAttribute("title")).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC$/);
    });
    await step(page, "the reply box of a closed ticket says it reopens", async () => {
      await page.getByRole("link", { name: ticket.subject }).click();
      await page.getByText("This ticket is closed. Replying reopens it.").waitFor();
      await page.getByLabel("Your reply").fill("It broke again this morning.");
      await page.getByRole("button", { name: "Send reply" }).click();
      await page.getByText("Reply sent. The ticket is open again.").waitFor();
      if (js) await audit.axe(page, "closed ticket reopened by a reply");
    });
    await step(
      page,
      "the requester's first button is Send reply; Close ticket is under the reply box, and works",
      async () => {
        // The reopening reply renewed the close form (with htmx out of band): it is Close again.
        const close = page.locator("#ticket-closure").getByRole("button", { name: "Close ticket" });
        await close.waitFor();
        expect(await page.locator("main button").first().textContent()).toBe("Send reply");
        await close.click();
        await page.locator("#ticket-closure").getByRole("button", { name: "Reopen ticket" }).waitFor();
        await page.locator("#ticket-state").getByText("Closed", { exact: true }).waitFor();
        expect((await db.ticket.findUniqueOrThrow({ where: { id: ticket.id } })).status).toBe("Closed");
        await page.locator("#ticket-closure").getByRole("button", { name: "Reopen ticket" }).click();
        await page.locator("#ticket-closure").getByRole("button", { name: "Close ticket" }).waitFor();
        expect((await db.ticket.findUniqueOrThrow({ where: { id: ticket.id } })).status).toBe("Open");
      },
    );
    await context.close();
  });

  it("a limited box says its limit, and with JavaScript counts down as the person types", async () => {
    const requester = await createUser(suite.server.t.db);
    const { context, page } = await newPage(suite.browser, mode, audit);
    await step(page, "the description's count", async () => {
      await page.goto(`${suite.server.url}/login?next=/tickets/new`);
      await signIn(page, requester.email, PASSWORD);
      const count = page.locator("#description-count");
      expect(await count.textContent()).toBe("Up to 10,000 characters.");
      expect(await page.getByLabel("Description").getAttribute("aria-describedby")).toContain("description-count");
      await page.getByLabel("Description").pressSequentially("The scanner shows an error.");
      if (js) {
        await page.getByText("Characters left: 9,973").waitFor();
        await audit.axe(page, "new ticket with a character count");
      } else expect(await count.textContent()).toBe("Up to 10,000 characters.");
    });
    await context.close();
  });

  it("the queue shows which status it is on, and an empty result offers to clear the filters", async () => {
    const agent = await createUser(suite.server.t.db, { role: "agent", name: `Casey ${mode.name}` });
    const { context, page } = await newPage(suite.browser, mode, audit);
    await step(page, "a filter that matches nothing", async () => {
      await page.goto(`${suite.server.url}/login?next=${encodeURIComponent("/queue?status=Waiting&q=zzzz-nothing")}`);
      await signIn(page, agent.email, PASSWORD);
      await page.getByText("No tickets match these filters.").waitFor();
      const selected = page.locator("#status-counts a[aria-current]");
      expect(await selected.count()).toBe(1);
      expect(await selected.textContent()).toMatch(/^Waiting: \d+$/);
      if (js) expect(await selected.evaluate((a) => getComputedStyle(a).fontWeight)).toBe("700");
      if (js) await audit.axe(page, "empty queue");
      await page.getByRole("link", { name: "Clear filters" }).click();
      await page.waitForURL((url) => url.pathname === "/queue" && url.search === "?status=active");
      await page.getByRole("heading", { name: "Queue" }).waitFor();
    });
    await context.close();
  });

  it("a wrong password reads plainly, and signing out says the computer is safe to leave", async () => {
    const user = await createUser(suite.server.t.db, { name: `Quinn ${mode.name}` });
    const { context, page } = await newPage(suite.browser, mode, audit);
    await step(page, "wrong password", async () => {
      await page.goto(`${suite.server.url}/login`);
      await page.getByLabel("Email").fill(user.email);
      await page.getByLabel("Password").fill("not the password");
      await page.getByRole("button", { name: "Sign in", exact: true }).click();
      await page.locator(".error-summary:focus").waitFor();
      const summary = await page.locator(".error-summary li").allTextContents();
      expect(summary).toEqual(["Email or password is incorrect."]);
      if (!js) expect(await page.title()).toBe("Error: Sign in · Hyperdesk");
      if (js) await audit.axe(page, "sign-in error");
    });
    await step(page, "sign in, then out", async () => {
      await signIn(page, user.email, PASSWORD);
      await page.getByRole("heading", { name: "My tickets" }).waitFor();
      await page.getByRole("button", { name: "Sign out" }).first().click();
      await page.getByText("You have signed out. It is safe to leave this computer.").waitFor();
      expect(await page.title()).toBe("Signed out · Hyperdesk");
    });
    await context.close();
  });
});

describeAudit(audit, { axeRuns: 17, pages: 5 });
