import { readFileSync } from "node:fs";
import { unzipSync } from "fflate";
import { describe, expect, it } from "vitest";
import { createUser, PASSWORD } from "../helpers/app.js";
import { Audit, chromiumSuite, describeAudit, MODES, newPage, signIn, step } from "./harness.js";

// Running it for real (#28), with JavaScript off and on: a person downloads their data from their
// account page; an admin erases a person from theirs, and reads the system page.

const suite = chromiumSuite();
const audit = new Audit();

describe.each(MODES)("your data with JavaScript $name", (mode) => {
  it("the account page's link downloads one ZIP with the person's tickets", async () => {
    const db = suite.server.t.db;
    const user = await createUser(db, { name: `Dana ${mode.name}` });
    await db.ticket.create({
      data: { subject: `Lost card ${mode.name}`, description: "My library card is lost.", requesterId: user.id },
    });
    const { context, page } = await newPage(suite.browser, mode, audit);
    await step(page, "download from the account page", async () => {
      await page.goto(`${suite.server.url}/login?next=/account`);
      await signIn(page, user.email, PASSWORD);
      await page.getByRole("heading", { name: "Your data" }).waitFor();
      if (mode.javaScriptEnabled) await audit.axe(page, "account page with your data");
      const [download] = await Promise.all([
        page.waitForEvent("download"),
        page.getByRole("link", { name: "Download your data (ZIP)" }).click(),
      ]);
      expect(download.suggestedFilename()).toMatch(/^hyperdesk-user\d+-[a-z0-9]+-\d{4}-\d{2}-\d{2}\.zip$/);
      const files = unzipSync(new Uint8Array(readFileSync((await download.path())!)));
      const tickets = JSON.parse(new TextDecoder().decode(files["tickets.json"]));
      expect(tickets.map((x: { subject: string }) => x.subject)).toEqual([`Lost card ${mode.name}`]);
      // The page is still there (a download, not a navigation).
      expect(new URL(page.url()).pathname).toBe("/account");
    });
    await context.close();
  });

  it("an admin erases a person, typing their address to confirm", async () => {
    const db = suite.server.t.db;
    const admin = await createUser(db, { role: "admin", name: `Ada ${mode.name}` });
    const person = await createUser(db, { name: `Eli ${mode.name}` });
    const { context, page } = await newPage(suite.browser, mode, audit);
    await step(page, "from the person's page to the confirmation", async () => {
      await page.goto(`${suite.server.url}/login?next=/admin/users/${person.id}`);
      await signIn(page, admin.email, PASSWORD);
      await page.getByRole("link", { name: `Erase Eli ${mode.name} (data protection)…` }).click();
      await page.getByRole("heading", { name: `Erase Eli ${mode.name}?` }).waitFor();
      if (mode.javaScriptEnabled) await audit.axe(page, "erase confirmation");
    });
    await step(page, "a wrong address erases nothing; the right one erases", async () => {
      await page.getByLabel(/Type their email address/).fill("nobody@example.com");
      await page.getByRole("button", { name: `Erase Eli ${mode.name}` }).click();
      await page.locator("#confirm-error").waitFor();
      if (mode.javaScriptEnabled) await audit.axe(page, "erase confirmation, wrong address");
      await page.getByLabel(/Type their email address/).fill(person.email);
      await page.getByRole("button", { name: `Erase Eli ${mode.name}` }).click();
      await page.getByText(`Eli ${mode.name} is erased.`).waitFor();
      await page.getByRole("heading", { name: `Erased person #${person.id}` }).waitFor();
    });
    await context.close();
  });
});

describe.each(MODES)("the system page with JavaScript $name", (mode) => {
  it("an admin reads what the desk runs with, from the menu", async () => {
    const admin = await createUser(suite.server.t.db, { role: "admin" });
    const { context, page } = await newPage(suite.browser, mode, audit);
    await step(page, "System in the menu", async () => {
      await page.goto(`${suite.server.url}/login?next=/admin/users`);
      await signIn(page, admin.email, PASSWORD);
      await page.getByRole("link", { name: "System", exact: true }).click();
      await page.getByRole("heading", { name: "System" }).waitFor();
      await page.getByText(/Hyperdesk \d+\.\d+\.\d+ \(Node\.js v/).waitFor();
      if (mode.javaScriptEnabled) await audit.axe(page, "system page");
    });
    await context.close();
  });
});

describeAudit(audit, { axeRuns: 4, pages: 5 });
