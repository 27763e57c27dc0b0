import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Browser, browserAs, createUser, type TestApp, testApp } from "../helpers/app.js";

// Emails are written in the language of whoever gets them: their setting, else the desk's.

describe("the language of an email", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await testApp({ DEFAULT_LANGUAGE: "de" });
  });
  afterAll(() => t.close());

  const outbox = (to: string) =>
    t.db.outboxMessage.findMany({
      where: { toAddress: to },
      orderBy: { id: "asc" },
      select: { kind: true, subject: true, text: true, html: true },
    });

  it("is the recipient's, whoever wrote the change, and the desk's for people without a setting", async () => {
    const ana = await createUser(t.db, { name: "Ana", email: "ana@example.com" });
    await t.db.user.update({ where: { id: ana.id }, data: { language: "es" } });
    const agent = await createUser(t.db, { role: "agent", name: "Ali", email: "ali@example.com" });
    const requester = await browserAs(t, ana);
    await requester.get("/tickets/new");
    const opened = await requester.post("/tickets", {
      subject: "La impresora no imprime",
      description: "Desde esta mañana sale en blanco.",
      priority: "High",
    });
    const id = Number(opened.location!.split("/").pop());
    const staff = await browserAs(t, agent);
    await staff.get(`/tickets/${id}`);
    await staff.post(`/tickets/${id}/replies`, { body: "¿Probó con otro cartucho?", kind: "reply" });
    const [receipt, reply] = await outbox("ana@example.com");
    expect(receipt!.text).toContain(`Hola, Ana: recibimos su solicitud. Su número es el n.º ${id}`);
    expect(receipt!.text).toContain("Prioridad: Alta");
    expect(receipt!.html).toContain('<html lang="es" dir="ltr">');
    expect(reply!.text).toContain(`Ali respondió a su ticket n.º ${id}:`);
    expect(reply!.text).toContain("Recibe este correo de");
    // The agent has no setting: the desk's language (DEFAULT_LANGUAGE=de), whatever the page was in.
    await staff.post(`/tickets/${id}/assignee`, { assignee: "" });
    await requester.post(`/tickets/${id}/replies`, { body: "Sí, y nada." });
    await t.db.ticket.update({ where: { id }, data: { assigneeId: agent.id } });
    await requester.post(`/tickets/${id}/replies`, { body: "¿Alguna idea?" });
    const [toAgent] = await outbox("ali@example.com");
    expect(toAgent!.text).toContain(`Ana hat auf Ticket #${id} geantwortet:`);
  });

  it("a sign-in link goes in the person's language, else the language it was asked for in", async () => {
    await createUser(t.db, { name: "Farid", email: "farid@example.com" });
    const b = new Browser(t);
    await b.get("/login/link", { headers: { "Accept-Language": "ar" } });
    await b.post("/login/link", { email: "farid@example.com" }, { headers: { "Accept-Language": "ar" } });
    const [link] = await outbox("farid@example.com");
    expect(link!.text).toContain("مرحبًا Farid، هذا هو الرابط الذي طلبته لتسجيل الدخول");
    expect(link!.html).toContain('<html lang="ar" dir="rtl">');
  });

  it("registering keeps the language of the page as the person's own", async () => {
    const b = new Browser(t);
    await b.get("/register", { headers: { "Accept-Language": "fr-CA" } });
    const done = await b.post(
      "/register",
      { name: "Chloé", email: "chloe@example.com", password: "un long mot de passe" },
      { headers: { "Accept-Language": "fr-CA" } },
    );
    expect(done.status).toBe(303);
    expect((await t.db.user.findUniqueOrThrow({ where: { email: "chloe@example.com" } })).language).toBe("fr");
  });
});
