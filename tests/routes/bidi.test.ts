import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CurrentUser } from "../../src/env.js";
import { receiveMail } from "../../src/mail/incoming.js";
import { browserAs, createUser, type TestApp, testApp } from "../helpers/app.js";
import { eml } from "../helpers/imap.js";

// Characters that reorder what follows them (U+202A-202E, U+2066-2069) are taken out of subjects
// and names, on the web and by mail: "Invoice \u202Efdp.exe" must not read "Invoice exe.pdf" in a list.

let t: TestApp;
let requester: CurrentUser, agent: CurrentUser;
beforeAll(async () => {
  t = await testApp({ MAIL_FROM: "Desk <support@desk.example>" });
  requester = await createUser(t.db, { name: "Rita Requester" });
  agent = await createUser(t.db, { role: "agent", name: "Alex Agent" });
});
afterAll(() => t.close());

const CONTROLS = "\u202A\u202B\u202C\u202D\u202E\u2066\u2067\u2068\u2069";

describe("direction controls", () => {
  it("are taken out of a subject and a name typed into a form, and stay in a description", async () => {
    const b = await browserAs(t, requester);
    const made = await b.post("/tickets", {
      subject: "Invoice \u202Efdp.exe",
      description: `Arabic text may use them: \u202Bمرحبا\u202C ${CONTROLS}`,
      priority: "Low",
    });
    const id = Number(made.location!.split("/").pop());
    const ticket = await t.db.ticket.findUniqueOrThrow({ where: { id } });
    expect(ticket.subject).toBe("Invoice fdp.exe");
    expect(ticket.description).toContain("\u202Bمرحبا\u202C");
    const queue = (await (await browserAs(t, agent)).get("/queue")).text;
    expect(queue).toContain("Invoice fdp.exe");
    expect(queue).not.toMatch(/[\u202A-\u202E\u2066-\u2069]/);
    await b.get("/account");
    await b.post("/account", { name: `Rita${CONTROLS} R.` });
    expect((await t.db.user.findUniqueOrThrow({ where: { id: requester.id } })).name).toBe("Rita R.");
  });

  it("are taken out of a mailed subject and the sender's name", async () => {
    const mail = eml({
      from: `"Eve \u202Enomis" <eve@example.org>`,
      subject: `Refund \u2067for\u2069 \u202Efdp.exe`,
      body: "Please see the attachment.",
    });
    const result = await receiveMail(t.deps, mail.raw);
    const ticket = await t.db.ticket.findUniqueOrThrow({
      where: { id: (result as { ticketId: number }).ticketId },
      include: { requester: true },
    });
    expect(ticket.subject).toBe("Refund for fdp.exe");
    expect(ticket.requester.name).toBe("Eve nomis");
  });
});

describe("a ticket opened by mail", () => {
  it("drops a foreign [#n] from its subject (another desk's number is no ticket here)", async () => {
    const mail = eml({ from: "ola@example.org", subject: "Re: [#987654] Printer quote", body: "Any news on this?" });
    const made = await receiveMail(t.deps, mail.raw);
    expect(made.outcome).toBe("created");
    const ticket = await t.db.ticket.findUniqueOrThrow({ where: { id: (made as { ticketId: number }).ticketId } });
    expect(ticket.subject).toBe("Printer quote");
  });
});

describe("a file just past the size limit", () => {
  it("is told in sizes that differ (10 MB and 10 MB would say nothing)", async () => {
    const { i18nFor } = await import("../../src/i18n/translate.js");
    const limit = 10 * 1024 * 1024;
    expect(i18nFor("en").sizes(limit + 2048, limit)).toEqual(["10,487,808 bytes", "10,485,760 bytes"]);
    expect(i18nFor("en").sizes(12 * 1024 * 1024, limit)).toEqual(["12 MB", "10 MB"]);
    expect(i18nFor("fr").sizes(limit + 2048, limit)[0]).not.toBe(i18nFor("fr").sizes(limit + 2048, limit)[1]);
  });
});
