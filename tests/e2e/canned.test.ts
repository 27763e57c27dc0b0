import { describe, expect, it } from "vitest";
import { createUser, PASSWORD } from "../helpers/app.js";
import { Audit, chromiumSuite, describeAudit, MODES, newPage, settled, signIn, step } from "./harness.js";

// Canned replies in Chromium, JavaScript off and on: an agent writes one (an unknown placeholder
// first, refused next to the text), then puts it into a ticket's composer after what they typed,
// filled for the ticket, and sends it.

const suite = chromiumSuite({ MAIL_FROM: "City Library Help <help@library.example>" });
const audit = new Audit();

describe.each(MODES)("canned replies with JavaScript $name", (mode) => {
  const js = mode.javaScriptEnabled;

  it("an agent writes a canned reply and answers a ticket with it", async () => {
    const db = suite.server.t.db;
    const agent = await createUser(db, { role: "agent", name: `Alex ${mode.name}` });
    const requester = await createUser(db, { name: `Rita ${mode.name} Requester` });
    const ticket = await db.ticket.create({
      data: { subject: `Card does not scan ${mode.name}`, description: "At the kiosk.", requesterId: requester.id },
    });
    const title = `Card reset ${mode.name}`;
    const { context, page } = await newPage(suite.browser, mode, audit);
    await step(page, "an unknown placeholder is refused next to the text", async () => {
      await page.goto(`${suite.server.url}/login?next=/canned/new`);
      await signIn(page, agent.email, PASSWORD);
      await page.getByRole("heading", { name: "New canned reply" }).waitFor();
      await page.getByLabel("Title").fill(title);
      await page.getByLabel("Text").fill("Dear {{customer}}, your card is reset.");
      await page.getByRole("button", { name: "Save canned reply" }).click();
      await settled(page, mode);
      await page.locator("#body-error").waitFor();
      expect(await page.locator("#body-error").textContent()).toContain("{{customer}}");
      if (js) await audit.axe(page, "canned reply refused");
    });
    await step(page, "fixed and saved", async () => {
      await page.getByLabel("Text").fill("Dear {{requester.first_name}}, your card for #{{ticket.id}} is reset.");
      await page.getByRole("button", { name: "Save canned reply" }).click();
      await page.getByText(`Saved “${title}”.`).waitFor();
      if (js) await audit.axe(page, "canned replies");
    });
    await step(page, "into the composer after what was typed", async () => {
      await page.goto(`${suite.server.url}/tickets/${ticket.id}`);
      await page.getByLabel("Your message").fill("Hello!");
      await page.getByLabel("Canned reply").selectOption({ label: title });
      await page.getByRole("button", { name: "Insert after my text" }).click();
      await settled(page, mode);
      await page.waitForFunction(() =>
        (document.querySelector("#body") as HTMLTextAreaElement)?.value.includes("Dear"),
      );
      expect(await page.getByLabel("Your message").inputValue()).toBe(
        `Hello!\n\nDear Rita, your card for #${ticket.id} is reset.`,
      );
      // With htmx only the composer was swapped: the page never left the ticket (without, it is the POST's answer).
      expect(new URL(page.url()).pathname).toBe(js ? `/tickets/${ticket.id}` : `/tickets/${ticket.id}/canned`);
      if (js) await audit.axe(page, "canned reply in the composer");
    });
    await step(page, "sent as a reply", async () => {
      await page.getByRole("button", { name: "Send reply", exact: true }).click();
      await settled(page, mode);
      await page.locator("#thread").getByText("your card for").waitFor();
      expect(await db.reply.count({ where: { ticketId: ticket.id } })).toBe(1);
    });
    await context.close();
  });
});

describeAudit(audit, { axeRuns: 3, pages: 3 });
