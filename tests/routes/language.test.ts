import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Browser, browserAs, createUser, type TestApp, testApp } from "../helpers/app.js";

const htmlTag = (text: string) => text.match(/<html[^>]*>/)?.[0];

describe("the language of a page", () => {
  let t: TestApp;
  let kiosk: TestApp;
  beforeAll(async () => {
    t = await testApp({ DEFAULT_LANGUAGE: "fr" });
    kiosk = await testApp({ KIOSK_LANGUAGE: "de" });
  });
  afterAll(async () => {
    await t.close();
    await kiosk.close();
  });

  it("follows Accept-Language (a region finds its language), else the desk's default", async () => {
    const b = new Browser(t);
    const mexico = await b.get("/login", { headers: { "Accept-Language": "es-MX,es;q=0.9,en;q=0.5" } });
    expect(htmlTag(mexico.text)).toBe('<html lang="es" dir="ltr">');
    expect(mexico.text).toContain(">Iniciar sesión<");
    expect(mexico.headers.get("Vary")).toMatch(/Accept-Language/);
    // Nothing the desk speaks: the default (DEFAULT_LANGUAGE=fr).
    const japan = await b.get("/login", { headers: { "Accept-Language": "ja-JP, zh;q=0.5" } });
    expect(htmlTag(japan.text)).toBe('<html lang="fr" dir="ltr">');
    const none = await b.get("/login");
    expect(htmlTag(none.text)).toBe('<html lang="fr" dir="ltr">');
  });

  it("Arabic is right to left", async () => {
    const page = await new Browser(t).get("/login", { headers: { "Accept-Language": "ar" } });
    expect(htmlTag(page.text)).toBe('<html lang="ar" dir="rtl">');
    expect(page.text).toContain("تسجيل الدخول");
  });

  it("the language menu sets a cookie that beats Accept-Language, and comes back to the same page", async () => {
    const b = new Browser(t);
    const page = await b.get("/login?next=%2Ftickets%2F3", { headers: { "Accept-Language": "es" } });
    expect(page.text).toContain('name="back" value="/login?next=%2Ftickets%2F3"');
    const chosen = await b.post("/language", { lang: "de", back: "/login?next=%2Ftickets%2F3" });
    expect(chosen.status).toBe(303);
    expect(chosen.location).toBe("/login?next=%2Ftickets%2F3");
    expect(chosen.headers.getSetCookie().join()).toMatch(/lang=de;.*HttpOnly/i);
    const after = await b.get("/login", { headers: { "Accept-Language": "es" } });
    expect(htmlTag(after.text)).toBe('<html lang="de" dir="ltr">');
    // The current language is the one selected in the menu.
    expect(after.text).toContain('<option value="de" lang="de" selected="">Deutsch</option>');
  });

  it("refuses a language it does not speak and a way back to another site", async () => {
    const b = new Browser(t);
    const unknown = await b.post("/language", { lang: "xx", back: "/login" });
    expect(unknown.status).toBe(422);
    expect(unknown.text).toContain("Langue inconnue");
    expect(b.cookies.has("lang")).toBe(false);
    const away = await b.post("/language", { lang: "es", back: "//evil.example/" });
    expect(away.location).toBe("/tickets");
    const noToken = await new Browser(t).post("/language", { lang: "es", back: "/login" }, { csrf: null });
    expect(noToken.status).toBe(403);
  });

  it("a kiosk's language comes before Accept-Language; the menu still wins", async () => {
    const b = new Browser(kiosk);
    const page = await b.get("/login", { headers: { "Accept-Language": "es" } });
    expect(htmlTag(page.text)).toBe('<html lang="de" dir="ltr">');
    await b.post("/language", { lang: "ar", back: "/login" });
    const chosen = await b.get("/login", { headers: { "Accept-Language": "es" } });
    expect(htmlTag(chosen.text)).toBe('<html lang="ar" dir="rtl">');
  });

  it("a person's own setting comes first, follows them to another browser, and 'automatic' gives it back", async () => {
    const user = await createUser(t.db);
    const b = await browserAs(t, user);
    await b.get("/account");
    const saved = await b.post("/language", { lang: "es", back: "/account" });
    expect(saved.location).toBe("/account");
    const account = await b.get("/account");
    expect(account.text).toContain("Se guardó su idioma.");
    expect(account.text).toContain('<option value="es" selected="">Español</option>');
    // Another browser of theirs, which asks for German and chose French in the menu.
    const other = await browserAs(t, user);
    other.cookies.set("lang", "fr");
    const elsewhere = await other.get("/tickets", { headers: { "Accept-Language": "de" } });
    expect(htmlTag(elsewhere.text)).toBe('<html lang="es" dir="ltr">');
    expect((await t.db.user.findUniqueOrThrow({ where: { id: user.id } })).language).toBe("es");
    // Back to automatic: the browser decides again.
    await b.post("/language", { lang: "auto", back: "/account" }, { headers: { "Accept-Language": "de" } });
    expect((await t.db.user.findUniqueOrThrow({ where: { id: user.id } })).language).toBeNull();
    const auto = await b.get("/account", { headers: { "Accept-Language": "de" } });
    expect(htmlTag(auto.text)).toBe('<html lang="de" dir="ltr">');
    expect(auto.text).toContain("Ihre Sprache wurde gespeichert.");
  });
});
