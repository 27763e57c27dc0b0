import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { createUser, PASSWORD } from "../helpers/app.js";
import { Audit, chromiumSuite, describeAudit, MODES, newPage, settled, signIn as signInWith, step } from "./harness.js";

const suite = chromiumSuite();
const audit = new Audit();

const signIn = (page: Page, email: string, password = PASSWORD) => signInWith(page, email, password);

/** With JavaScript on, a marker on window survives only if htmx did the work in place. */
async function markWindow(page: Page, js: boolean) {
  if (js) await page.evaluate("window.__stillHere = true");
}
async function expectSameWindow(page: Page, js: boolean) {
  if (js)
    expect(
      await page.evaluate("window.__stillHere === true"),
      "htmx should have handled this without a full page load",
    ).toBe(true);
}

describe.each(MODES)("journeys with JavaScript $name", (mode) => {
  const js = mode.javaScriptEnabled;
  const check = async (page: Page, label: string) => {
    if (js) await audit.axe(page, `${label} (${mode.name})`);
  };

  it("a requester registers, opens a ticket, follows it, replies, closes, reopens, searches and signs out", async () => {
    const { context, page } = await newPage(suite.browser, mode, audit);
    const email = `kiosk-${mode.name}@example.com`;
    await step(page, "landing", async () => {
      await page.goto(`${suite.server.url}/`);
      await page.getByRole("heading", { name: "Help when you need it" }).waitFor();
      await check(page, "landing");
      await page.getByRole("link", { name: "Create an account" }).click();
      await page.getByRole("heading", { name: "Create your account" }).waitFor();
      await check(page, "register");
    });
    await step(page, "register with a short password", async () => {
      await page.getByLabel("Your name").fill("Kim Kiosk");
      await page.getByLabel("Email").fill(email);
      await page.getByLabel("Password").fill("short");
      await page.getByRole("button", { name: "Create account" }).click();
      await page.getByText("Use at least 8 characters.").first().waitFor();
      // GOV.UK's pattern: focus on the error summary, and the title says there is an error.
      await page.locator(".error-summary:focus").waitFor();
      if (!js) expect(await page.title()).toBe("Error: Create your account · Hyperdesk");
      expect(await page.getByLabel("Email").inputValue()).toBe(email);
      await check(page, "register with errors");
    });
    await step(page, "register", async () => {
      await page.getByLabel("Password").fill("a long kiosk passphrase");
      await page.getByRole("button", { name: "Create account" }).click();
      // Registering confirms no account (a taken address gets the same page): sign in next.
      await page.getByRole("heading", { name: "Sign in" }).waitFor();
      await page.getByText("We emailed you a link: follow it to go on, signed in").waitFor();
      expect(await page.getByLabel("Email").inputValue()).toBe(email);
    });
    await step(page, "go on signed in through the emailed link: the password is typed once", async () => {
      const { db } = suite.server.t;
      const mail = await db.outboxMessage.findFirstOrThrow({ where: { toAddress: email, kind: "signin_link" } });
      // Greeted by address, not by the name typed: the address has not shown it is theirs yet.
      expect(mail.text).not.toContain("Kim Kiosk");
      await page.goto(`${suite.server.url}${mail.text.match(/\/login\/link\/open\?token=\S+/)![0]}`);
      await page.getByRole("button", { name: "Sign in", exact: true }).click();
      await page.getByRole("heading", { name: "My tickets" }).waitFor();
      expect((await db.user.findUniqueOrThrow({ where: { email } })).emailConfirmedAt).not.toBeNull();
      await page.getByText("You have no tickets yet").waitFor();
      await check(page, "empty ticket list");
    });
    await step(page, "open a ticket, with a mistake first", async () => {
      await markWindow(page, js);
      await page.getByRole("link", { name: "New ticket" }).click();
      await page.getByRole("heading", { name: "Open a ticket" }).waitFor();
      await check(page, "new ticket");
      await page.getByLabel("Subject").fill("ab");
      await page.getByLabel("Description").fill("The printer on floor 2 is jammed.\nIt beeps twice.");
      await page.getByLabel("Priority").selectOption("High");
      await page.getByRole("button", { name: "Open ticket" }).click();
      await page.getByText("Subject needs at least 3 characters.").first().waitFor();
      await page.locator(".error-summary:focus").waitFor();
      if (!js) expect(await page.title()).toBe("Error: Open a ticket · Hyperdesk");
      expect(await page.getByLabel("Description").inputValue()).toBe(
        "The printer on floor 2 is jammed.\nIt beeps twice.",
      );
      await check(page, "new ticket with errors");
      await page.getByLabel("Subject").fill("Printer jammed on floor 2");
      await page.getByRole("button", { name: "Open ticket" }).click();
      await page.getByRole("heading", { name: /Printer jammed on floor 2/ }).waitFor();
      await page.getByText(/Ticket #\d+ is open/).waitFor();
      await expectSameWindow(page, js);
      await check(page, "ticket page");
    });
    await step(page, "reply", async () => {
      await markWindow(page, js);
      await page.getByLabel("Your reply").fill("It is still jammed after a restart.");
      await page.getByRole("button", { name: "Send reply" }).click();
      await page.locator("#thread").getByText("It is still jammed after a restart.").waitFor();
      await settled(page, mode);
      expect(await page.getByLabel("Your reply").inputValue()).toBe("");
      await expectSameWindow(page, js);
      await page.getByText("Reply sent.").waitFor();
    });
    await step(page, "an empty reply is refused", async () => {
      await page.getByRole("button", { name: "Send reply" }).click();
      await page.getByText("Enter a reply.").first().waitFor();
      await check(page, "reply with errors");
    });
    await step(page, "close and reopen", async () => {
      await markWindow(page, js);
      await page.getByRole("button", { name: "Close ticket" }).click();
      await page.getByRole("button", { name: "Reopen ticket" }).waitFor();
      await page.locator("#ticket-state").getByText("Closed", { exact: true }).waitFor();
      await page.getByRole("button", { name: "Reopen ticket" }).click();
      await page.getByRole("button", { name: "Close ticket" }).waitFor();
      await page.getByText("changed the status from Closed to Open").waitFor();
      await expectSameWindow(page, js);
    });
    await step(page, "list and search", async () => {
      await page.getByRole("link", { name: "My tickets", exact: true }).click();
      await page.getByRole("link", { name: "Printer jammed on floor 2" }).waitFor();
      await check(page, "ticket list");
      await page.getByLabel("Search").fill("zzz-nothing");
      if (js) {
        // As you type: no button pressed, the results and the URL follow.
        await page.getByText("No tickets match.").waitFor();
        await page.waitForURL(/q=zzz-nothing/);
      } else {
        await page.getByRole("button", { name: "Search" }).click();
        await page.getByText("No tickets match.").waitFor();
      }
      await page.getByLabel("Search").fill("PRINTER");
      await page.getByRole("button", { name: "Search" }).click();
      await page.getByRole("link", { name: "Printer jammed on floor 2" }).waitFor();
      expect(page.url()).toContain("q=PRINTER");
      await page.getByRole("link", { name: "Printer jammed on floor 2" }).click();
      await page.getByRole("heading", { name: /Printer jammed on floor 2/ }).waitFor();
    });
    await step(page, "account page and sign out; Back shows nothing private", async () => {
      await page.getByRole("link", { name: "Kim Kiosk" }).click();
      await page.getByRole("heading", { name: "Your account" }).waitFor();
      await page.getByText("(this device)").waitFor();
      await check(page, "account");
      await page.getByRole("button", { name: "Sign out" }).first().click();
      await page.getByRole("heading", { name: "Sign in" }).waitFor();
      // A kiosk's reassurance, in the page and its title.
      await page.getByText("You have signed out. It is safe to leave this computer.").waitFor();
      expect(await page.title()).toBe("Signed out · Hyperdesk");
      await check(page, "signed out");
      await page.goBack();
      await page.waitForLoadState("domcontentloaded");
      await settled(page, mode);
      const html = await page.content();
      expect(html).not.toContain("Printer jammed");
      expect(html).not.toContain(email);
      expect(page.url()).toContain("/login");
    });
    await context.close();
  });

  it("a long list pages: 'Next page' without JavaScript, rows appended in place with it", async () => {
    const user = await createUser(suite.server.t.db, { name: `Lou ${mode.name}` });
    for (let i = 1; i <= 30; i++)
      await suite.server.t.db.ticket.create({
        data: { subject: `Paged ticket ${i}`, description: "One of thirty.", requesterId: user.id },
      });
    const { context, page } = await newPage(suite.browser, mode, audit);
    await step(page, "first page", async () => {
      await page.goto(`${suite.server.url}/login?next=/tickets`);
      await signIn(page, user.email);
      await page.getByRole("link", { name: "Paged ticket 30" }).waitFor();
      expect(await page.locator("#ticket-rows tr").count()).toBe(25);
    });
    await step(page, "next page", async () => {
      await markWindow(page, js);
      await page.getByRole("link", { name: "Next page of tickets" }).click();
      await page.getByRole("link", { name: "Paged ticket 1", exact: true }).waitFor();
      await settled(page, mode);
      if (js) {
        expect(await page.locator("#ticket-rows tr").count()).toBe(30);
        expect(new URL(page.url()).search).toBe("");
        await expectSameWindow(page, js);
      } else {
        expect(await page.locator("#ticket-rows tr").count()).toBe(5);
        expect(page.url()).toContain("cursor=");
      }
      expect(await page.getByRole("link", { name: "Next page of tickets" }).count()).toBe(0);
      await check(page, "ticket list, page 2");
    });
    await context.close();
  });

  it("sign-in sends a person back where they were going, after a wrong password", async () => {
    const user = await createUser(suite.server.t.db, { name: `Nia ${mode.name}` });
    const { context, page } = await newPage(suite.browser, mode, audit);
    await step(page, "protected page asks to sign in", async () => {
      await page.goto(`${suite.server.url}/tickets/new`);
      await page.getByRole("heading", { name: "Sign in" }).waitFor();
      expect(page.url()).toContain("next=%2Ftickets%2Fnew");
      await check(page, "sign in");
    });
    await step(page, "wrong password", async () => {
      await signIn(page, user.email, "not my password");
      await page.getByText("Email or password is incorrect.").first().waitFor();
      await check(page, "sign in with error");
    });
    await step(page, "right password", async () => {
      await page.getByLabel("Password").fill(PASSWORD);
      await page.getByRole("button", { name: "Sign in", exact: true }).click();
      await page.getByRole("heading", { name: "Open a ticket" }).waitFor();
      expect(new URL(page.url()).pathname).toBe("/tickets/new");
    });
    await context.close();
  });

  it("an agent finds a ticket in the queue, takes it, notes and replies; the requester sees the reply, not the note", async () => {
    const db = suite.server.t.db;
    const requester = await createUser(db, { name: `Rae ${mode.name}` });
    const agent = await createUser(db, { name: `Alex ${mode.name}`, role: "agent" });
    const subject = `Card reader broken ${mode.name}`;
    const ticket = await db.ticket.create({
      data: { subject, description: "The card reader at the desk rejects every card.", requesterId: requester.id },
    });
    const { context, page } = await newPage(suite.browser, mode, audit);
    await step(page, "agent signs in and searches the queue", async () => {
      await page.goto(`${suite.server.url}/login?next=/queue`);
      await signIn(page, agent.email);
      await page.getByRole("heading", { name: "Queue" }).waitFor();
      await check(page, "queue");
      await page.getByLabel("Search").fill(`reader broken ${mode.name}`);
      await page.getByRole("button", { name: "Apply" }).click();
      await page.getByRole("link", { name: subject }).click();
      await page.getByRole("heading", { name: new RegExp(subject) }).waitFor();
      await check(page, "ticket page (agent)");
    });
    await step(page, "assign to me and set In progress", async () => {
      // One triage form: both fields, one save, one history line each.
      await page.getByLabel("Assignee").selectOption({ label: `Alex ${mode.name} (me)` });
      await page.locator("#triage-status").selectOption("In progress");
      await page.getByRole("button", { name: "Save changes" }).click();
      await page.getByText(`assigned the ticket to Alex ${mode.name}`).waitFor();
      await page.getByText("changed the status from Open to In progress").waitFor();
    });
    await step(page, "internal note and public reply", async () => {
      // One composer: choosing the note makes it unmistakable and leaves only "Add note".
      expect(await page.getByRole("button", { name: "Send reply" }).isVisible()).toBe(true);
      expect(await page.getByRole("button", { name: "Add note" }).isVisible()).toBe(false);
      await page.getByLabel("Internal note (agents only)").check();
      expect(await page.getByRole("button", { name: "Add note" }).isVisible()).toBe(true);
      expect(await page.getByRole("button", { name: "Send reply" }).isVisible()).toBe(false);
      expect(await page.getByText("only agents and admins see it").isVisible()).toBe(true);
      const ground = await page.locator("#reply-form").evaluate((el) => getComputedStyle(el).backgroundColor);
      expect(ground).toBe("rgb(255, 248, 197)");
      await page.getByLabel("Your message").fill("Vendor ticket 4411 opened; part on order.");
      await page.getByRole("button", { name: "Add note" }).click();
      await page.locator("#thread").getByText("Vendor ticket 4411").waitFor();
      await page.getByLabel("Your message").fill("We have ordered a new reader; it arrives Friday.");
      await page.getByRole("button", { name: "Send reply" }).click();
      await page.locator("#thread").getByText("it arrives Friday").waitFor();
    });
    await step(page, "dashboard", async () => {
      await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Dashboard" }).click();
      await page.getByRole("heading", { name: "Dashboard" }).waitFor();
      await check(page, "dashboard");
    });
    await context.close();
    const requesterView = await newPage(suite.browser, mode, audit);
    await step(requesterView.page, "the requester sees the reply but not the note", async () => {
      await requesterView.page.goto(`${suite.server.url}/login?next=/tickets/${ticket.id}`);
      await signIn(requesterView.page, requester.email);
      await requesterView.page.getByText("it arrives Friday").waitFor();
      const html = await requesterView.page.content();
      expect(html).not.toContain("Vendor ticket 4411");
      expect(html).toContain("In progress");
    });
    await requesterView.context.close();
  });

  it("an admin makes someone an agent and disables an account (with confirmation)", async () => {
    const db = suite.server.t.db;
    const adminUser = await createUser(db, { name: `Ada ${mode.name}`, role: "admin" });
    const person = await createUser(db, { name: `Pat ${mode.name}` });
    const { context, page } = await newPage(suite.browser, mode, audit);
    await step(page, "people", async () => {
      await page.goto(`${suite.server.url}/login?next=/admin/users`);
      await signIn(page, adminUser.email);
      await page.getByRole("heading", { name: "People" }).waitFor();
      await page.getByLabel("Search name or email").fill(`Pat ${mode.name}`);
      await page.getByRole("button", { name: "Search" }).click();
      await page.getByRole("link", { name: `Pat ${mode.name}` }).click();
      await page.getByRole("heading", { name: `Pat ${mode.name}` }).waitFor();
      await check(page, "person");
      await page.getByLabel("Role").selectOption("agent");
      await page.getByRole("button", { name: "Change role" }).click();
      await page.getByText(`Pat ${mode.name} is now an agent.`).waitFor();
      expect((await db.user.findUniqueOrThrow({ where: { id: person.id } })).role).toBe("agent");
    });
    await step(page, "making someone an admin is asked once more", async () => {
      await page.getByLabel("Role").selectOption("admin");
      await page.getByRole("button", { name: "Change role" }).click();
      await page.getByRole("heading", { name: `Make Pat ${mode.name} an admin?` }).waitFor();
      expect((await db.user.findUniqueOrThrow({ where: { id: person.id } })).role).toBe("agent");
      await check(page, "confirm admin");
      await page.getByRole("link", { name: "Cancel" }).click();
      await page.getByRole("heading", { name: `Make Pat ${mode.name} an admin?` }).waitFor({ state: "detached" });
      await page.getByRole("heading", { name: `Pat ${mode.name}`, exact: true }).waitFor();
      await page.getByLabel("Role").selectOption("admin");
      await page.getByRole("button", { name: "Change role" }).click();
      await page.getByRole("button", { name: `Make Pat ${mode.name} an admin` }).click();
      await page.getByText(`Pat ${mode.name} is now an admin.`).waitFor();
      expect((await db.user.findUniqueOrThrow({ where: { id: person.id } })).role).toBe("admin");
      // Back to agent for the steps after this (asked too: it takes admin away).
      await page.getByLabel("Role").selectOption("agent");
      await page.getByRole("button", { name: "Change role" }).click();
      await page.getByRole("button", { name: `Make Pat ${mode.name} an agent` }).click();
      await page.getByText(`Pat ${mode.name} is now an agent.`).waitFor();
    });
    await step(page, "disable with confirmation", async () => {
      if (js) page.once("dialog", (d) => d.accept());
      await page.getByRole("link", { name: "Disable account" }).click();
      if (!js) {
        await page.getByRole("heading", { name: `Disable Pat ${mode.name}?` }).waitFor();
        await check(page, "confirm disable");
        await page.getByRole("button", { name: "Disable account" }).click();
      }
      await page.getByRole("button", { name: "Enable account" }).waitFor();
      expect((await db.user.findUniqueOrThrow({ where: { id: person.id } })).disabledAt).not.toBeNull();
    });
    await context.close();
  });
});

describeAudit(audit, { axeRuns: 16, pages: 9 });
