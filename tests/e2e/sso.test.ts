import { afterAll, describe, expect, it } from "vitest";
import { createUser, PASSWORD } from "../helpers/app.js";
import { startProvider, type TestProvider } from "../helpers/oidc.js";
import { Audit, chromiumSuite, describeAudit, freePort, MODES, newPage, step } from "./harness.js";

// Single sign-on in Chromium with JavaScript off and on, against a real OpenID provider: the
// button on the sign-in page, a new person made, signing out at the provider too, and an existing
// account linked after its person signs in here once.

let idp: TestProvider;
const suite = chromiumSuite(async () => {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  idp = await startProvider(base, ["corp"]);
  return {
    PORT: String(port),
    PUBLIC_URL: base,
    OIDC_ALLOW_HTTP: "true",
    OIDC_ISSUER: idp.issuer,
    OIDC_CLIENT_ID: idp.clientId,
    OIDC_CLIENT_SECRET: idp.clientSecret,
    OIDC_SLUG: "corp",
    OIDC_NAME: "City Library",
    OIDC_CREATE_PEOPLE: "true",
  };
});
afterAll(() => idp?.close());
const audit = new Audit();

describe.each(MODES)("single sign-on with JavaScript $name", (mode) => {
  const js = mode.javaScriptEnabled;

  it("someone new signs in with the directory, and signing out signs out there too", async () => {
    const id = `new-${mode.name}`;
    idp.accounts.set(id, { email: `sso-${mode.name}@example.com`, email_verified: true, name: `Sol ${mode.name}` });
    const { context, page } = await newPage(suite.browser, mode, audit);
    const visited: string[] = [];
    page.on("framenavigated", (frame) => {
      if (frame === page.mainFrame()) visited.push(frame.url());
    });
    await step(page, "the button on the sign-in page", async () => {
      await page.goto(`${suite.server.url}/login`);
      if (js) await audit.axe(page, "sign-in page with single sign-on");
      idp.next.account = id;
      await page.getByRole("link", { name: "Sign in with City Library" }).click();
      await page.getByRole("heading", { name: "My tickets" }).waitFor();
      await page.getByRole("link", { name: `Sol ${mode.name}` }).waitFor();
    });
    await step(page, "signing out: at the directory too, then back here", async () => {
      await page.getByRole("button", { name: "Sign out" }).first().click();
      // The provider's own pages: with JavaScript off its form waits for "Continue" (on, it goes by
      // itself), then it asks to confirm.
      const back = page.getByText("You have signed out. It is safe to leave this computer.");
      const cont = page.getByRole("button", { name: "Continue" });
      const yes = page.getByRole("button", { name: "Yes, sign me out" });
      for (let i = 0; i < 4 && !(await back.isVisible()); i++) {
        await back.or(cont).or(yes).first().waitFor();
        if (await cont.isVisible()) await cont.click();
        else if (await yes.isVisible()) await yes.click();
      }
      await back.waitFor();
      expect(visited.some((u) => u.startsWith(`${idp.issuer}/session/end`))).toBe(true);
    });
    await step(page, "the directory asks who it is again: its session ended too", async () => {
      const before = idp.logins;
      idp.next.account = id;
      await page.getByRole("link", { name: "Sign in with City Library" }).click();
      await page.getByRole("heading", { name: "My tickets" }).waitFor();
      expect(idp.logins).toBe(before + 1);
      expect(new URL(page.url()).origin).toBe(suite.server.url);
    });
    await context.close();
  });

  it("an existing account: signing in here once links it, then the button alone is enough", async () => {
    const db = suite.server.t.db;
    const user = await createUser(db, { name: `Lin ${mode.name}` });
    const id = `existing-${mode.name}`;
    idp.accounts.set(id, { email: user.email, email_verified: true, name: "Lin at the directory" });
    const { context, page } = await newPage(suite.browser, mode, audit);
    await step(page, "the directory's account has the address of one here", async () => {
      await page.goto(`${suite.server.url}/login`);
      idp.next.account = id;
      await page.getByRole("link", { name: "Sign in with City Library" }).click();
      await page.getByText("Your City Library account has the address of an account here.").waitFor();
      expect(await page.getByLabel("Email").inputValue()).toBe(user.email);
      if (js) await audit.axe(page, "link notice");
    });
    await step(page, "signing in with the password links it", async () => {
      await page.getByLabel("Password").fill(PASSWORD);
      await page.getByRole("button", { name: "Sign in", exact: true }).click();
      await page.getByText("Your City Library account is connected").waitFor();
      expect(await db.ssoIdentity.count({ where: { userId: user.id } })).toBe(1);
      await page.getByRole("button", { name: "Sign out" }).first().click();
      await page.getByText("You have signed out.").waitFor();
    });
    await step(page, "the next time, the button alone", async () => {
      idp.next.account = id;
      await page.getByRole("link", { name: "Sign in with City Library" }).click();
      await page.getByRole("link", { name: `Lin ${mode.name}` }).waitFor();
    });
    await context.close();
  });

  it("an address the directory has not confirmed: refused, with the ways in that are left", async () => {
    const user = await createUser(suite.server.t.db);
    const id = `unverified-${mode.name}`;
    idp.accounts.set(id, { email: user.email, email_verified: false });
    const { context, page } = await newPage(suite.browser, mode, audit);
    await step(page, "refused", async () => {
      await page.goto(`${suite.server.url}/login`);
      idp.next.account = id;
      await page.getByRole("link", { name: "Sign in with City Library" }).click();
      await page.getByRole("heading", { name: "Could not sign in with City Library" }).waitFor();
      await page.getByText("City Library has not confirmed your email address").waitFor();
      if (js) await audit.axe(page, "single sign-on refused");
      await page.getByRole("link", { name: "Back to sign-in" }).click();
      await page.getByRole("heading", { name: "Sign in", exact: true }).waitFor();
    });
    await context.close();
  });
});

describeAudit(audit, { axeRuns: 3, pages: 4 });
