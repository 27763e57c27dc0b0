import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTicket } from "../../src/tickets/open.js";
import { WebhookWorker } from "../../src/webhooks/worker.js";
import { createUser, PASSWORD } from "../helpers/app.js";
import { Receiver } from "../webhooks/receiver.js";
import { Audit, chromiumSuite, describeAudit, MODES, newPage, settled, signIn, step } from "./harness.js";

// Webhook set-up in Chromium, JavaScript off and on: an admin adds an endpoint (a mistake first),
// copies the secret shown once, sends a test event that a real receiver verifies, sees a ticket's
// event in the delivery log, and sends it again.

const suite = chromiumSuite({ WEBHOOK_ALLOW_PRIVATE: "true" });
const audit = new Audit();
const receiver = new Receiver();
let hookBase: string;
beforeAll(async () => {
  hookBase = await receiver.start();
});
afterAll(() => receiver.close());

describe.each(MODES)("webhooks with JavaScript $name", (mode) => {
  const js = mode.javaScriptEnabled;

  it("adds an endpoint, tests it, reads its log and sends a delivery again", async () => {
    const { t } = suite.server;
    const admin = await createUser(t.db, { role: "admin", name: `Ada ${mode.name}` });
    const requester = await createUser(t.db, { name: `Rita ${mode.name}` });
    const worker = new WebhookWorker(t.deps);
    // The other mode's endpoint would get this mode's events too.
    await t.db.webhookEndpoint.deleteMany();
    const { context, page } = await newPage(suite.browser, mode, audit);
    const url = `${hookBase}/hook-${mode.name}`;
    await step(page, "an endpoint without an address is sent back", async () => {
      await page.goto(`${suite.server.url}/login?next=/admin/webhooks`);
      await signIn(page, admin.email, PASSWORD);
      await page.getByRole("heading", { name: "Webhooks", level: 1 }).waitFor();
      await page.getByRole("button", { name: "Add endpoint" }).click();
      await settled(page, mode);
      await page.getByText("Enter the address to send events to.").waitFor();
      expect(await page.title()).toMatch(/^Error:/);
      if (js) await audit.axe(page, "webhooks, refused");
    });
    const secret = await step(page, "added, its secret shown once", async () => {
      await page.getByLabel("Address (URL)").fill(url);
      await page.getByLabel("What it is for (optional)").fill("Team chat");
      await page.getByRole("button", { name: "Add endpoint" }).click();
      await settled(page, mode);
      const shown = (await page.locator("#new-secret code").textContent())!.trim();
      expect(shown).toMatch(/^whsec_/);
      if (js) await audit.axe(page, "webhooks, new endpoint");
      return shown;
    });
    receiver.secret = secret;
    await step(page, "a test event, verified by the receiver, in the log", async () => {
      await page.getByRole("link", { name: url }).first().click();
      await settled(page, mode);
      await page.getByRole("button", { name: "Send a test event" }).click();
      await settled(page, mode);
      await page.getByText("A test event is on its way").first().waitFor();
      expect(await worker.runOnce()).toBe(1);
      const got = receiver.received.filter((r) => r.path === `/hook-${mode.name}`);
      expect(got).toHaveLength(1);
      expect(got[0]!.verified).toBe(true);
      await page.reload();
      await page.getByRole("cell", { name: /webhook\.test/ }).waitFor();
      expect(await page.content()).not.toContain(secret);
    });
    await step(page, "a ticket's event, sent again from the log", async () => {
      const ticket = await openTicket(
        t.deps,
        requester,
        { subject: "Lift stuck", description: "Between floors.", priority: "High" },
        undefined,
      );
      expect(await worker.runOnce()).toBe(1);
      await page.reload();
      const row = page.locator("tr", { hasText: "ticket.created" });
      await row.getByRole("link", { name: `#${ticket.id}` }).waitFor();
      await row.getByRole("button", { name: "Send again" }).click();
      await settled(page, mode);
      await page.getByText("It will be sent again, with the same webhook-id.").first().waitFor();
      expect(await worker.runOnce()).toBe(1);
      const created = receiver.received.filter(
        (r) => r.path === `/hook-${mode.name}` && JSON.parse(r.body).type === "ticket.created",
      );
      expect(created).toHaveLength(2);
      expect(created[0]!.headers["webhook-id"]).toBe(created[1]!.headers["webhook-id"]);
      expect(created.every((r) => r.verified)).toBe(true);
      if (js) await audit.axe(page, "webhook, delivery log");
    });
    await context.close();
  });
});

describeAudit(audit, { axeRuns: 3, pages: 3 });
