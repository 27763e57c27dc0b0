import { Secret, TOTP } from "otpauth";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { createUser, PASSWORD } from "../helpers/app.js";
import { Audit, chromiumSuite, describeAudit, MODES, newPage, signIn, step } from "./harness.js";

// Two-factor sign-in in Chromium with JavaScript off and on: setting up the authenticator app from
// the key on the page, the second step of signing in (a wrong code, then the right one), a recovery
// code, and an admin requiring it for staff.

const suite = chromiumSuite();
const audit = new Audit();

/** What the person's app shows now, by the desk's clock (the key as the page shows it). */
const codeFor = (key: string) =>
  TOTP.generate({ secret: Secret.fromBase32(key.replace(/\s/g, "")), timestamp: suite.server.t.clock.t });
/** The next time step: the code used a moment ago is spent. */
const nextStep = () => suite.server.t.clock.advance(30_000);

async function signOut(page: Page) {
  await page.getByRole("button", { name: "Sign out" }).first().click();
  await page.getByText("You have signed out.").waitFor();
}

describe.each(MODES)("two-step sign-in with JavaScript $name", (mode) => {
  const js = mode.javaScriptEnabled;

  it("set up from the key on the page, then signing in takes a code or a recovery code", async () => {
    const db = suite.server.t.db;
    const user = await createUser(db, { name: `Tove ${mode.name}` });
    const { context, page } = await newPage(suite.browser, mode, audit);
    let key = "";
    let codes: string[] = [];
    await step(page, "from the account page to the set-up", async () => {
      await page.goto(`${suite.server.url}/login?next=/account`);
      await signIn(page, user.email, PASSWORD);
      await page.getByRole("heading", { name: "Your account" }).waitFor();
      await page.getByRole("link", { name: "Set up two-step sign-in" }).click();
      await page.getByRole("heading", { name: "Two-step sign-in", exact: true }).waitFor();
      await page.getByRole("button", { name: "Set up two-step sign-in" }).click();
      await page.getByRole("heading", { name: "Set up your authenticator app" }).waitFor();
      const qr = await page.getByRole("img", { name: "QR code of the key for your authenticator app" }).boundingBox();
      expect(qr!.width).toBeGreaterThan(120);
      key = (await page.locator("code.secret").textContent())!;
      expect(key.replace(/\s/g, "")).toMatch(/^[A-Z2-7]{32}$/);
      if (js) await audit.axe(page, "two-factor set-up");
    });
    await step(page, "a wrong code, then the right one: ten recovery codes", async () => {
      await page.getByLabel("Code", { exact: true }).fill("123456");
      await page.getByRole("button", { name: "Turn on" }).click();
      await page.locator("#code-error").waitFor();
      expect(await page.locator("#code-error").textContent()).toContain("That code is not right");
      if (js) await audit.axe(page, "two-factor set-up, wrong code");
      await page.getByLabel("Code", { exact: true }).fill(codeFor(key));
      await page.getByRole("button", { name: "Turn on" }).click();
      await page.getByRole("heading", { name: "Two-step sign-in is on" }).waitFor();
      codes = await page.locator(".recovery-codes code").allTextContents();
      expect(codes).toHaveLength(10);
      if (js) await audit.axe(page, "recovery codes");
      await page.getByRole("link", { name: "I have kept my codes" }).click();
      await page.getByText("10 recovery codes left.").waitFor();
    });
    await step(page, "signing in: the password, then a wrong code, then the right one", async () => {
      await signOut(page);
      await page.goto(`${suite.server.url}/login`);
      await signIn(page, user.email, PASSWORD);
      await page.getByRole("heading", { name: "Enter your code" }).waitFor();
      if (js) await audit.axe(page, "second step");
      await page.getByLabel("Code", { exact: true }).fill("000000");
      await page.getByRole("button", { name: "Sign in", exact: true }).click();
      await page.locator("#code-error").waitFor();
      expect(await page.locator("#code-error").textContent()).toContain("4 more tries");
      if (js) await audit.axe(page, "second step, wrong code");
      nextStep();
      await page.getByLabel("Code", { exact: true }).fill(codeFor(key));
      await page.getByRole("button", { name: "Sign in", exact: true }).click();
      await page.getByRole("heading", { name: "My tickets" }).waitFor();
    });
    await step(page, "with a recovery code instead", async () => {
      await signOut(page);
      await page.goto(`${suite.server.url}/login`);
      await signIn(page, user.email, PASSWORD);
      await page.getByRole("heading", { name: "Enter your code" }).waitFor();
      await page.getByLabel("Code", { exact: true }).fill(codes[0]!);
      await page.getByRole("button", { name: "Sign in", exact: true }).click();
      await page.getByText("You signed in with a recovery code. You have 9 left.").waitFor();
      await page.getByText("9 recovery codes left.").waitFor();
    });
    await context.close();
  });

  it("an admin requires it for staff: an agent without it sets it up before anything else", async () => {
    const db = suite.server.t.db;
    const key = new Secret({ size: 20 }).base32;
    const admin = await createUser(db, { role: "admin", name: `Adele ${mode.name}` });
    await db.user.update({ where: { id: admin.id }, data: { totpSecret: key, totpEnabledAt: new Date() } });
    const agent = await createUser(db, { role: "agent", name: `Aiden ${mode.name}` });
    const { context, page } = await newPage(suite.browser, mode, audit);
    try {
      await step(page, "the admin signs in with a code and ticks the box", async () => {
        await page.goto(`${suite.server.url}/login?next=/admin/sign-in`);
        await signIn(page, admin.email, PASSWORD);
        await page.getByRole("heading", { name: "Enter your code" }).waitFor();
        nextStep();
        await page.getByLabel("Code", { exact: true }).fill(codeFor(key));
        await page.getByRole("button", { name: "Sign in", exact: true }).click();
        await page.getByRole("heading", { name: "Sign-in", exact: true }).waitFor();
        await page.getByLabel("Agents and admins must use two-step sign-in").check();
        await page.getByRole("button", { name: "Save" }).click();
        await page.getByText("Agents and admins must now use two-step sign-in.").waitFor();
        if (js) await audit.axe(page, "sign-in settings");
        await signOut(page);
      });
      await step(page, "the agent signs in and lands on the set-up", async () => {
        await page.goto(`${suite.server.url}/login`);
        await signIn(page, agent.email, PASSWORD);
        await page.getByText("This desk asks agents and admins to use two-step sign-in. Set it up to go on.").waitFor();
        expect(new URL(page.url()).pathname).toBe("/account/two-factor");
        if (js) await audit.axe(page, "set-up required");
        await page.goto(`${suite.server.url}/queue`);
        await page.getByText("Set it up to go on.").waitFor();
      });
    } finally {
      await context.close();
      await db.setting.deleteMany({ where: { key: "require_2fa_staff" } });
    }
  });
});

describeAudit(audit, { axeRuns: 7, pages: 6 });
