import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CurrentUser } from "../../src/env.js";
import { createUser, PASSWORD } from "../helpers/app.js";
import { Audit, chromiumSuite, describeAudit, MODES, type Mode, settled, signIn, step } from "./harness.js";

// Languages in a real browser, JavaScript off and on: the browser's language is taken at once,
// the menu changes it without an account (a cookie), Arabic pages are right to left with the
// layout mirrored, a person's own setting follows them, and forms answer in the page's language.
// axe runs on each language in both colour schemes; every page goes to the HTML checker.

const audit = new Audit();
const suite = chromiumSuite();
let lena: CurrentUser;
let amal: CurrentUser;

beforeAll(async () => {
  const { db } = suite.server.t;
  lena = await createUser(db, { name: "Lena Lang", email: "lena@example.com" });
  amal = await createUser(db, { name: "أمل", email: "amal@example.com" });
  await db.user.update({ where: { id: lena.id }, data: { language: "de" } });
});

async function browserIn(locale: string) {
  const mode = current;
  const context = await suite.browser.newContext({ javaScriptEnabled: mode.javaScriptEnabled, locale });
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  audit.watch(page);
  return { context, page };
}
let current: Mode = MODES[0]!;

/** axe in the light and the dark scheme (axe runs in the page: with JavaScript on only). */
async function bothSchemes(page: Page, label: string) {
  if (!current.javaScriptEnabled) return;
  await page.emulateMedia({ colorScheme: "light" });
  await audit.axe(page, `${label} (light)`);
  await page.emulateMedia({ colorScheme: "dark" });
  await audit.axe(page, `${label} (dark)`);
  await page.emulateMedia({ colorScheme: "light" });
}

const htmlOf = (page: Page) =>
  page.evaluate(() => [document.documentElement.lang, document.documentElement.dir].join(" "));

describe.each(MODES)("languages with JavaScript $name", (mode) => {
  beforeAll(() => {
    current = mode;
  });

  it("takes the browser's language, and the menu changes it without an account; Arabic mirrors the page", async () => {
    const { context, page } = await browserIn("es-MX");
    await step(page, "a Spanish browser", async () => {
      await page.goto(`${suite.server.url}/login`);
      expect(await htmlOf(page)).toBe("es ltr");
      await page.getByRole("heading", { name: "Iniciar sesión" }).waitFor();
      await bothSchemes(page, `sign-in in Spanish, ${mode.name}`);
    });
    await step(page, "the menu: العربية", async () => {
      await page.getByLabel("Idioma").selectOption("ar");
      await page.getByRole("button", { name: "Cambiar" }).click();
      await page.getByRole("heading", { name: "تسجيل الدخول" }).waitFor();
      expect(await htmlOf(page)).toBe("ar rtl");
      // Back on the same page, and the layout mirrored: the brand on the right, the menu on the left.
      expect(new URL(page.url()).pathname).toBe("/login");
      const width = page.viewportSize()!.width;
      const brand = (await page.getByRole("link", { name: "Hyperdesk" }).boundingBox())!;
      const menu = (await page.locator(".language-menu").boundingBox())!;
      expect(brand.x).toBeGreaterThan(width / 2);
      expect(menu.x).toBeLessThan(brand.x);
      const align = await page.locator("h1").evaluate((h) => getComputedStyle(h).textAlign);
      expect(["start", "right"]).toContain(align);
      await bothSchemes(page, `sign-in in Arabic, ${mode.name}`);
    });
    await step(page, "the choice stays for the next page", async () => {
      await page.getByRole("link", { name: "إنشاء حساب" }).first().click();
      await settled(page, mode);
      await page.getByRole("heading", { name: "أنشئ حسابك" }).waitFor();
      expect(await htmlOf(page)).toBe("ar rtl");
    });
    await context.close();
  });

  it("a form answers in the page's language: the error summary, the message by the field, the title", async () => {
    const { context, page } = await browserIn("fr-FR");
    await step(page, "sign in, then open a ticket in French with too short a subject", async () => {
      await page.goto(`${suite.server.url}/login`);
      await page.getByLabel("E-mail").fill(amal.email);
      await page.getByLabel("Mot de passe").fill(PASSWORD);
      await page.getByRole("button", { name: "Se connecter", exact: true }).click();
      await page.getByRole("heading", { name: "Mes tickets" }).waitFor();
      await page.goto(`${suite.server.url}/tickets/new`);
      await page.getByLabel("Objet").fill("ab");
      await page.getByLabel("Description").fill("L’imprimante du 2e étage est bloquée.");
      await page.getByRole("button", { name: "Ouvrir le ticket" }).click();
      await page.getByText("L’objet doit comporter au moins 3 caractères.").first().waitFor();
      await page.getByRole("heading", { name: "Veuillez corriger ce problème" }).waitFor();
      if (!mode.javaScriptEnabled) expect(await page.title()).toMatch(/^Erreur : /);
      await bothSchemes(page, `new ticket with an error in French, ${mode.name}`);
    });
    await step(page, "fixed and sent: the ticket page in French", async () => {
      await page.getByLabel("Objet").fill(`Imprimante bloquée (${mode.name})`);
      await page.getByRole("button", { name: "Ouvrir le ticket" }).click();
      await page.getByText(/Le ticket nº \d+ est ouvert/).waitFor();
      await page.getByText("Ouvert", { exact: true }).first().waitFor();
      await bothSchemes(page, `ticket page in French, ${mode.name}`);
    });
    await context.close();
  });

  it("a person's own language follows them to any browser, until they choose automatic again", async () => {
    const { context, page } = await browserIn("en-GB");
    await step(page, "Lena chose German: signing in from an English browser gives German pages", async () => {
      await page.goto(`${suite.server.url}/login`);
      expect(await htmlOf(page)).toBe("en ltr");
      await signIn(page, lena.email, PASSWORD);
      await page.getByRole("heading", { name: "Meine Tickets" }).waitFor();
      expect(await htmlOf(page)).toBe("de ltr");
    });
    await step(page, "back to automatic on her account page", async () => {
      await page.goto(`${suite.server.url}/account`);
      await page.getByRole("combobox", { name: "Sprache" }).last().selectOption("auto");
      await page.getByRole("button", { name: "Sprache speichern" }).click();
      await page.getByText("Your language was saved.").waitFor();
      expect(await htmlOf(page)).toBe("en ltr");
      await bothSchemes(page, `account page after choosing automatic, ${mode.name}`);
    });
    await context.close();
  });

  it("an Arabic-speaking agent works the queue and a ticket right to left, in German too", async () => {
    const { db } = suite.server.t;
    const agent = await createUser(db, {
      role: "agent",
      name: `سامي ${mode.name}`,
      email: `sami-${mode.name}@example.com`,
    });
    await db.user.update({ where: { id: agent.id }, data: { language: "ar" } });
    const ticket = await db.ticket.create({
      data: { subject: `الطابعة لا تعمل (${mode.name})`, description: "تظهر رسالة خطأ.", requesterId: amal.id },
    });
    const { context, page } = await browserIn("en-US");
    await step(page, "sign in: the queue in Arabic", async () => {
      await page.goto(`${suite.server.url}/login`);
      await signIn(page, agent.email, PASSWORD);
      await page.getByRole("heading", { name: "قائمة الانتظار" }).waitFor();
      expect(await htmlOf(page)).toBe("ar rtl");
      await bothSchemes(page, `queue in Arabic, ${mode.name}`);
    });
    await step(page, "the ticket: assign it to herself, the answer in Arabic", async () => {
      await page.goto(`${suite.server.url}/tickets/${ticket.id}`);
      await page.getByRole("button", { name: "أسندها إليّ" }).click();
      await page.getByText("أُسندت إليك.").waitFor();
      // The composer's choice: each radio its own size beside its label, right to left too.
      const radio = (await page.locator("#kind-note").boundingBox())!;
      const label = (await page.locator('label[for="kind-note"]').boundingBox())!;
      expect(radio.width).toBeLessThan(40);
      expect(radio.x).toBeGreaterThan(label.x);
      await bothSchemes(page, `ticket page for an agent in Arabic, ${mode.name}`);
    });
    await step(page, "the same pages in German from the menu", async () => {
      await page.getByLabel("اللغة").first().selectOption("de");
      await page.getByRole("button", { name: "تغيير", exact: true }).click();
      await page.getByRole("button", { name: "Änderungen speichern" }).waitFor();
      expect(await htmlOf(page)).toBe("de ltr");
      await bothSchemes(page, `ticket page for an agent in German, ${mode.name}`);
    });
    await context.close();
  });

  afterAll(async () => {
    await suite.server.t.db.user.update({ where: { id: lena.id }, data: { language: "de" } });
  });
});

describeAudit(audit, { axeRuns: 16, pages: 8 });
