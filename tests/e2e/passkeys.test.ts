import type { CDPSession, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { createUser, PASSWORD } from "../helpers/app.js";
import { Audit, chromiumSuite, describeAudit, freePort, MODES, newPage, signIn, step } from "./harness.js";

// Passkeys through Chromium's virtual authenticator (the CDP WebAuthn domain): added on the
// account page, used as the second step after a password, used alone to sign in, refused when the
// device does not verify its person, and removed. With JavaScript off nothing offers them and the
// page says why (the authenticator app works there). The page's origin is http://localhost:<port>,
// as WebAuthn requires a domain.

let base = "";
const suite = chromiumSuite(async () => {
  const port = await freePort();
  base = `http://localhost:${port}`;
  return { PORT: String(port), PUBLIC_URL: base };
});
const audit = new Audit();

async function authenticator(page: Page): Promise<{ cdp: CDPSession; id: string }> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("WebAuthn.enable", { enableUI: false });
  const { authenticatorId } = await cdp.send("WebAuthn.addVirtualAuthenticator", {
    options: {
      protocol: "ctap2",
      transport: "internal",
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });
  return { cdp, id: authenticatorId };
}

async function signOut(page: Page) {
  await page.getByRole("button", { name: "Sign out" }).first().click();
  await page.getByText("You have signed out.").waitFor();
}

describe.each(MODES)("passkeys with JavaScript $name", (mode) => {
  const js = mode.javaScriptEnabled;

  it.runIf(js)("added on the account page, then the second step, then sign-in without a password", async () => {
    const db = suite.server.t.db;
    const user = await createUser(db, { name: "Pia Passkey" });
    const { context, page } = await newPage(suite.browser, mode, audit);
    const { cdp, id } = await authenticator(page);
    await step(page, "add a passkey: two-step sign-in is on, with recovery codes", async () => {
      await page.goto(`${base}/login?next=/account/two-factor`);
      await signIn(page, user.email, PASSWORD);
      await page.getByRole("heading", { name: "Two-step sign-in", exact: true }).waitFor();
      expect(await page.getByText("Adding or using a passkey needs a browser").isVisible()).toBe(false);
      await page.getByLabel("Name of the new passkey").fill("My laptop");
      await page.getByRole("button", { name: "Add a passkey" }).click();
      await page.getByText("Passkey added. Two-step sign-in is now on").waitFor();
      expect(await page.locator(".recovery-codes code").count()).toBe(10);
      if (js) await audit.axe(page, "passkey added, recovery codes");
      await page.getByRole("link", { name: "I have kept my codes" }).click();
      await page.getByText("My laptop").waitFor();
      if (js) await audit.axe(page, "two-step sign-in with a passkey");
      const { credentials } = await cdp.send("WebAuthn.getCredentials", { authenticatorId: id });
      expect(credentials).toHaveLength(1);
      expect(await db.passkey.count({ where: { userId: user.id } })).toBe(1);
    });
    await step(page, "the password, then the passkey as the second step", async () => {
      await signOut(page);
      await page.goto(`${base}/login`);
      await signIn(page, user.email, PASSWORD);
      await page.getByRole("heading", { name: "Enter your code" }).waitFor();
      if (js) await audit.axe(page, "second step with a passkey");
      await page.getByRole("button", { name: "Use a passkey" }).click();
      await page.getByRole("heading", { name: "My tickets" }).waitFor();
    });
    await step(page, "the passkey alone, no password", async () => {
      await signOut(page);
      await page.goto(`${base}/login`);
      await page.getByRole("button", { name: "Sign in with a passkey" }).click();
      await page.getByRole("heading", { name: "My tickets" }).waitFor();
      expect((await db.passkey.findFirstOrThrow({ where: { userId: user.id } })).lastUsedAt).not.toBeNull();
    });
    await step(page, "a device that does not verify its person is refused", async () => {
      await signOut(page);
      await cdp.send("WebAuthn.setUserVerified", { authenticatorId: id, isUserVerified: false });
      await page.goto(`${base}/login`);
      await page.getByRole("button", { name: "Sign in with a passkey" }).click();
      await page.getByText("That passkey did not sign you in.").waitFor();
      expect(page.url()).toBe(`${base}/login`);
      await cdp.send("WebAuthn.setUserVerified", { authenticatorId: id, isUserVerified: true });
    });
    await step(page, "removed: it signs in no more", async () => {
      await signIn(page, user.email, PASSWORD);
      await page.getByRole("heading", { name: "Enter your code" }).waitFor();
      await page.getByRole("button", { name: "Use a passkey" }).click();
      await page.getByRole("heading", { name: "My tickets" }).waitFor();
      await page.goto(`${base}/account/two-factor`);
      await page.getByRole("button", { name: "Remove the passkey My laptop" }).click();
      await page.getByText("The passkey My laptop is removed.").waitFor();
      expect(await db.passkey.count({ where: { userId: user.id } })).toBe(0);
      await signOut(page);
      await page.goto(`${base}/login`);
      await page.getByRole("button", { name: "Sign in with a passkey" }).click();
      await page.getByText("That passkey did not sign you in.").waitFor();
    });
    await context.close();
  });

  it.runIf(!js)("nothing offers a passkey, and the page says why; the code works", async () => {
    const user = await createUser(suite.server.t.db);
    const { context, page } = await newPage(suite.browser, mode, audit);
    await step(page, "no passkey button without JavaScript", async () => {
      await page.goto(`${base}/login?next=/account/two-factor`);
      expect(await page.getByRole("button", { name: "Sign in with a passkey" }).count()).toBe(0);
      await signIn(page, user.email, PASSWORD);
      await page.getByText("Adding or using a passkey needs a browser that supports them").waitFor();
      expect(await page.getByRole("button", { name: "Add a passkey" }).count()).toBe(0);
      await page.getByRole("button", { name: "Set up two-step sign-in" }).waitFor();
    });
    await context.close();
  });
});

describeAudit(audit, { axeRuns: 3, pages: 4 });
