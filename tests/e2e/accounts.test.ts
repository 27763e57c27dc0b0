import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { announceFirstAdminSetup } from "../../src/users/setup.js";
import { createUser, PASSWORD } from "../helpers/app.js";
import { Audit, chromiumSuite, describeAudit, MODES, newPage, settled, signIn, startServer, step } from "./harness.js";

// The journeys around people rather than tickets: your own account and sessions, the first admin,
// an admin ending someone's sessions, and two agents working the same ticket from stale pages.

const suite = chromiumSuite();
const audit = new Audit();

/** A second device: its own browser context, signed in, on a page of its own. */
async function device(mode: (typeof MODES)[number], email: string, password = PASSWORD) {
  const d = await newPage(suite.browser, mode, audit);
  await d.page.goto(`${suite.server.url}/login?next=/tickets`);
  await signIn(d.page, email, password);
  await d.page.getByRole("heading", { name: "My tickets" }).waitFor();
  return d;
}

/** The device is signed out: its next page is the sign-in form. */
async function expectSignedOut(page: Page) {
  await page.goto(`${suite.server.url}/tickets`);
  await page.getByRole("heading", { name: "Sign in" }).waitFor();
}

describe.each(MODES)("accounts with JavaScript $name", (mode) => {
  const js = mode.javaScriptEnabled;
  const check = async (page: Page, label: string) => {
    if (js) await audit.axe(page, `${label} (${mode.name})`);
  };

  it("a person renames themself, changes their password and signs out their other devices", async () => {
    const user = await createUser(suite.server.t.db, { name: `Sam ${mode.name}` });
    const newPassword = `a fresh passphrase for ${mode.name}`;
    const laptop = await device(mode, user.email);
    const kiosk = await device(mode, user.email);
    const { page } = laptop;
    await step(page, "account page lists both devices", async () => {
      await page.getByRole("link", { name: user.name }).click();
      await page.getByRole("heading", { name: "Your account" }).waitFor();
      expect(await page.locator("#sessions tbody tr").count()).toBe(2);
      await check(page, "account with two sessions");
    });
    await step(page, "an empty name is refused, then a new one is saved", async () => {
      await page.getByLabel("Your name").fill("   ");
      await page.getByRole("button", { name: "Save name" }).click();
      await page.getByText("Enter your name.").first().waitFor();
      await check(page, "account name with error");
      await page.getByLabel("Your name").fill(`Samira ${mode.name}`);
      await page.getByRole("button", { name: "Save name" }).click();
      await page.getByText("Your name was saved.").waitFor();
      if (!js) await page.getByRole("link", { name: `Samira ${mode.name}` }).waitFor();
      expect((await suite.server.t.db.user.findUniqueOrThrow({ where: { id: user.id } })).name).toBe(
        `Samira ${mode.name}`,
      );
    });
    await step(page, "a wrong current password is refused", async () => {
      await page.getByLabel("Current password").fill("not my password at all");
      await page.getByLabel("New password").fill(newPassword);
      await page.getByRole("button", { name: "Change password" }).click();
      await page.getByText("That is not your current password.").first().waitFor();
      await page.locator(".error-summary:focus").waitFor();
      await check(page, "password with error");
    });
    await step(page, "the password changes and the kiosk is signed out", async () => {
      await page.getByLabel("Current password").fill(PASSWORD);
      await page.getByLabel("New password").fill(newPassword);
      await page.getByRole("button", { name: "Change password" }).click();
      await page.getByText("Your password was changed and 1 other session was signed out.").waitFor();
      await expectSignedOut(kiosk.page);
    });
    const phone = await device(mode, user.email, newPassword);
    const tablet = await device(mode, user.email, newPassword);
    await step(page, "one device signed out from the list", async () => {
      await page.goto(`${suite.server.url}/account`);
      expect(await page.locator("#sessions tbody tr").count()).toBe(3);
      await page
        .locator("#sessions tbody tr")
        .filter({ hasNotText: "(this device)" })
        .first()
        .getByRole("button", { name: /^Sign out/ })
        .click();
      await page.getByText("That session was signed out.").waitFor();
      await settled(page, mode);
      expect(await page.locator("#sessions tbody tr").count()).toBe(2);
    });
    await step(page, "sign out everywhere else", async () => {
      await page.getByRole("button", { name: "Sign out everywhere else" }).click();
      await page.getByText("Signed out of 1 other session.").waitFor();
      await settled(page, mode);
      expect(await page.locator("#sessions tbody tr").count()).toBe(1);
      await expectSignedOut(phone.page);
      await expectSignedOut(tablet.page);
    });
    for (const d of [laptop, kiosk, phone, tablet]) await d.context.close();
  });

  it("an admin adds an agent, who chooses a password from the emailed link; mail set-up says what is missing", async () => {
    const { db } = suite.server.t;
    const adminUser = await createUser(db, { role: "admin", name: `Ada ${mode.name}` });
    const email = `new-agent-${mode.name}@example.org`;
    const { context, page } = await newPage(suite.browser, mode, audit);
    await page.goto(`${suite.server.url}/login`);
    await signIn(page, adminUser.email, PASSWORD);
    await page.waitForURL(/\/queue/);
    await step(page, "add a person, with a mistake first", async () => {
      await page.goto(`${suite.server.url}/admin/users`);
      await page.getByRole("link", { name: "Add a person" }).click();
      await page.getByRole("heading", { name: "Add a person" }).waitFor();
      await page.getByLabel("Name").fill("Nina Agent");
      await page.getByLabel("Email").fill("not an address");
      await page.getByLabel("Role").selectOption("agent");
      await page.getByRole("button", { name: "Add and send the link" }).click();
      await page.locator("#email-error").waitFor();
      await settled(page, mode);
      expect(await page.getByLabel("Name").inputValue()).toBe("Nina Agent");
      await check(page, "add a person with an error");
      await page.getByLabel("Email").fill(email);
      await page.getByRole("button", { name: "Add and send the link" }).click();
      await page.getByText(`We emailed ${email} a link to choose a password`).waitFor();
      await check(page, "person added");
    });
    await step(page, "the mail set-up page says nothing can be sent without SMTP_URL", async () => {
      await page.goto(`${suite.server.url}/admin/mail`);
      await page.getByRole("heading", { name: "Mail set-up" }).waitFor();
      await page.getByRole("button", { name: "Send a test message" }).click();
      await page.getByText("Not sent.").waitFor();
      await settled(page, mode);
      expect(await page.locator("#mail-setup code").first().textContent()).toContain("SMTP_URL is not set");
      await check(page, "mail set-up");
    });
    await context.close();
    const invited = await newPage(suite.browser, mode, audit);
    await step(invited.page, "the new agent chooses a password from the link and signs in", async () => {
      const mail = await db.outboxMessage.findFirstOrThrow({ where: { toAddress: email, kind: "invite_link" } });
      await invited.page.goto(`${suite.server.url}${mail.text.match(/\/password\/reset\?token=\S+/)![0]}`);
      await invited.page.getByLabel("New password").fill("a long new agent passphrase");
      await invited.page.getByRole("button", { name: "Save new password" }).click();
      await invited.page.getByRole("heading", { name: "Sign in" }).waitFor();
      await signIn(invited.page, email, "a long new agent passphrase");
      await invited.page.waitForURL(/\/queue/);
    });
    await invited.context.close();
  });

  it("signed out by the idle timeout while typing a ticket, a person gets it back after signing in", async () => {
    const user = await createUser(suite.server.t.db, { name: `Kai ${mode.name}` });
    const subject = `Scanner eats paper ${mode.name}`;
    const { context, page } = await device(mode, user.email);
    await step(page, "types a ticket, then walks away", async () => {
      await page.getByRole("link", { name: "New ticket" }).click();
      await page.getByLabel("Subject").fill(subject);
      await page.getByLabel("Description").fill("It pulls two sheets at once and jams.\nTried another tray.");
      await page.getByLabel("Priority").selectOption("High");
      suite.server.t.clock.advance(suite.server.t.config.sessionIdleMs + 60_000);
    });
    await step(page, "sending it asks to sign in, and says the text is kept", async () => {
      await page.getByRole("button", { name: "Open ticket" }).click();
      await page.getByText("You were signed out while you were away, so this was not sent yet.").waitFor();
      await page.getByRole("heading", { name: "Sign in" }).waitFor();
      await check(page, "signed out while typing");
      expect(await suite.server.t.db.ticket.count({ where: { subject } })).toBe(0);
    });
    await step(page, "after signing in the ticket is back in the form", async () => {
      await signIn(page, user.email, PASSWORD);
      await page.getByRole("heading", { name: "Open a ticket" }).waitFor();
      await page.getByText("Here is what you wrote before you were signed out.").waitFor();
      expect(await page.getByLabel("Subject").inputValue()).toBe(subject);
      expect(await page.getByLabel("Description").inputValue()).toBe(
        "It pulls two sheets at once and jams.\nTried another tray.",
      );
      expect(await page.getByLabel("Priority").inputValue()).toBe("High");
    });
    await step(page, "and it is sent", async () => {
      await page.getByRole("button", { name: "Open ticket" }).click();
      await page.getByRole("heading", { name: new RegExp(subject) }).waitFor();
      expect(await suite.server.t.db.ticket.count({ where: { subject } })).toBe(1);
    });
    await context.close();
  });

  it("whoever runs the server creates the first admin from the one-time link", async () => {
    // A database of its own: the setup link works only while there is no admin at all.
    const fresh = await startServer();
    try {
      const token = (await announceFirstAdminSetup(fresh.t.deps))!;
      const { context, page } = await newPage(suite.browser, mode, audit);
      await step(page, "the link opens the setup form", async () => {
        await page.goto(`${fresh.url}/setup?token=${token}`);
        await page.getByRole("heading", { name: "Create the first admin" }).waitFor();
        await check(page, "setup");
      });
      await step(page, "a weak password is refused, input kept", async () => {
        await page.getByLabel("Your name").fill("Olu Operator");
        await page.getByLabel("Email").fill("ops@example.com");
        await page.getByLabel("Password").fill("password");
        await page.getByRole("button", { name: "Create admin account" }).click();
        await page
          .getByText(/common/)
          .first()
          .waitFor();
        expect(await page.getByLabel("Email").inputValue()).toBe("ops@example.com");
        await check(page, "setup with errors");
      });
      await step(page, "the admin is created and signed in", async () => {
        await page.getByLabel("Password").fill("the operator's own passphrase");
        await page.getByRole("button", { name: "Create admin account" }).click();
        await page.getByRole("heading", { name: "People" }).waitFor();
        await page.getByText("Your admin account is ready.").waitFor();
        expect((await fresh.t.db.user.findUniqueOrThrow({ where: { email: "ops@example.com" } })).role).toBe("admin");
      });
      await step(page, "the link does not work twice", async () => {
        await page.goto(`${fresh.url}/setup?token=${token}`);
        await page.getByRole("heading", { name: "This setup link does not work" }).waitFor();
      });
      await context.close();
    } finally {
      await fresh.close();
    }
  });

  it("an admin signs someone out of every device and enables a disabled account", async () => {
    const db = suite.server.t.db;
    const adminUser = await createUser(db, { name: `Ari ${mode.name}`, role: "admin" });
    const person = await createUser(db, { name: `Lee ${mode.name}` });
    const lost = await device(mode, person.email);
    const { context, page } = await newPage(suite.browser, mode, audit);
    await step(page, "the person's page says where they are signed in", async () => {
      await page.goto(`${suite.server.url}/login?next=/admin/users/${person.id}`);
      await signIn(page, adminUser.email, PASSWORD);
      await page.getByRole("heading", { name: person.name }).waitFor();
      await page.getByText("1 device").waitFor();
    });
    await step(page, "sign out of every device", async () => {
      await page.getByRole("button", { name: "Sign out of every device" }).click();
      await page.getByText(`Signed ${person.name} out of 1 session.`).waitFor();
      await page.getByText("0 devices").waitFor();
      await expectSignedOut(lost.page);
    });
    await step(page, "disabled accounts can be enabled again", async () => {
      await db.user.update({ where: { id: person.id }, data: { disabledAt: new Date() } });
      await page.reload();
      await page.getByRole("button", { name: "Enable account" }).click();
      await page.getByText(`${person.name} can sign in again.`).waitFor();
      await page.getByRole("link", { name: "Disable account" }).waitFor();
      await check(page, "person enabled");
    });
    await step(lost.page, "the person signs in again", async () => {
      await lost.page.goto(`${suite.server.url}/login`);
      await signIn(lost.page, person.email, PASSWORD);
      await lost.page.getByRole("heading", { name: "My tickets" }).waitFor();
    });
    await context.close();
    await lost.context.close();
  });

  it("two agents on one ticket: the one with a stale page is told, and nothing is overwritten", async () => {
    const db = suite.server.t.db;
    const requester = await createUser(db);
    const first = await createUser(db, { name: `Dee ${mode.name}`, role: "agent" });
    const second = await createUser(db, { name: `Eli ${mode.name}`, role: "agent" });
    const ticket = await db.ticket.create({
      data: {
        subject: `Badge printer offline ${mode.name}`,
        description: "The badge printer shows offline.",
        requesterId: requester.id,
      },
    });
    const a = await device(mode, first.email);
    const b = await device(mode, second.email);
    for (const d of [a, b]) await d.page.goto(`${suite.server.url}/tickets/${ticket.id}`);
    await step(a.page, "the first agent sets Waiting", async () => {
      await a.page.locator("#triage-status").selectOption("Waiting");
      await a.page.getByRole("button", { name: "Save changes" }).click();
      await a.page.getByText("changed the status from Open to Waiting").waitFor();
    });
    await step(b.page, "the second agent, on the older page, sets a priority", async () => {
      await b.page.locator("#triage-priority").selectOption("Urgent");
      await b.page.getByRole("button", { name: "Save changes" }).click();
      await b.page.getByText("This ticket changed since you opened it (it is now Waiting").waitFor();
      await check(b.page, "stale change");
      const now = await db.ticket.findUniqueOrThrow({ where: { id: ticket.id } });
      expect([now.status, now.priority]).toEqual(["Waiting", "Medium"]);
    });
    await step(b.page, "with the page as it is now, the change goes through", async () => {
      await b.page.locator("#triage-priority").selectOption("Urgent");
      await b.page.getByRole("button", { name: "Save changes" }).click();
      await b.page.getByText("changed the priority from Medium to Urgent").waitFor();
      expect((await db.ticket.findUniqueOrThrow({ where: { id: ticket.id } })).priority).toBe("Urgent");
    });
    await a.context.close();
    await b.context.close();
  });
});

describeAudit(audit, { axeRuns: 10, pages: 10 });
