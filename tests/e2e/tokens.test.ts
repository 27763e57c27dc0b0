import { describe, expect, it } from "vitest";
import { createUser, PASSWORD } from "../helpers/app.js";
import { Audit, chromiumSuite, describeAudit, MODES, newPage, settled, signIn, step } from "./harness.js";

// API tokens in Chromium, JavaScript off and on: a person makes a token (a mistake first), copies
// it from the page that shows it once, a program uses it, and the person revokes it; the API's
// reference page.

const suite = chromiumSuite();
const audit = new Audit();

describe.each(MODES)("API tokens with JavaScript $name", (mode) => {
  const js = mode.javaScriptEnabled;

  it("makes a token, sees it once, uses it, and revokes it", async () => {
    const user = await createUser(suite.server.t.db, { name: `Tess ${mode.name}` });
    const { context, page } = await newPage(suite.browser, mode, audit);
    const name = `Report script ${mode.name}`;
    await step(page, "a token without a name is sent back", async () => {
      await page.goto(`${suite.server.url}/login?next=/account`);
      await signIn(page, user.email, PASSWORD);
      await page.getByRole("link", { name: "Manage API tokens" }).click();
      await settled(page, mode);
      await page.getByRole("heading", { name: "API tokens", level: 1 }).waitFor();
      await page.getByRole("button", { name: "Make token" }).click();
      await settled(page, mode);
      await page.getByText("Enter a name for the token.").waitFor();
      if (js) await audit.axe(page, "tokens, refused");
    });
    const token = await step(page, "the token made and shown once", async () => {
      await page.getByLabel("Name").fill(name);
      await page.getByRole("button", { name: "Make token" }).click();
      await settled(page, mode);
      const shown = (await page.locator("#new-token code").textContent())!.trim();
      expect(shown).toMatch(/^hd_/);
      if (js) await audit.axe(page, "tokens, new token");
      return shown;
    });
    await step(page, "a program uses it; the page says when", async () => {
      const me = await fetch(`${suite.server.url}/api/v1/me`, { headers: { Authorization: `Bearer ${token}` } });
      expect(me.status).toBe(200);
      await page.goto(`${suite.server.url}/account/tokens`);
      await page.getByText("last used").waitFor();
      expect(await page.content()).not.toContain(token);
    });
    await step(page, "revoked", async () => {
      await page.getByRole("button", { name: `Revoke “${name}”` }).click();
      await settled(page, mode);
      await page.getByText(`Token “${name}” revoked: it works no more.`).first().waitFor();
      const me = await fetch(`${suite.server.url}/api/v1/me`, { headers: { Authorization: `Bearer ${token}` } });
      expect(me.status).toBe(401);
    });
    await step(page, "the API reference, drawn on the server", async () => {
      await page.goto(`${suite.server.url}/api`);
      await page.getByRole("heading", { name: "API reference", level: 1 }).waitFor();
      await page.getByRole("heading", { name: "POST /api/v1/tickets", exact: true }).waitFor();
      if (js) await audit.axe(page, "API reference");
    });
    await context.close();
  });
});

describeAudit(audit, { axeRuns: 3, pages: 3 });
