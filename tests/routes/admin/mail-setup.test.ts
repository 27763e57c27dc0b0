import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CurrentUser } from "../../../src/env.js";
import { type Browser, browserAs, createUser, section, type TestApp, testApp } from "../../helpers/app.js";
import { startSmtp, type TestSmtp } from "../../helpers/smtp.js";

// /admin/mail against a real SMTP server: what is configured (never a password), and a test
// message to the admin with the server's own answer, or its refusal.

let t: TestApp;
let smtp: TestSmtp;
let adminUser: CurrentUser;
let admin: Browser;
beforeAll(async () => {
  smtp = await startSmtp();
  t = await testApp({ SMTP_URL: smtp.url, MAIL_FROM: "Desk <support@desk.example>", MAIL_WORKER: "false" });
  adminUser = await createUser(t.db, { role: "admin", name: "Ada Admin", email: "ada@desk.example" });
  admin = await browserAs(t, adminUser);
});
afterAll(async () => {
  await t.close();
  await smtp.close();
});

describe("the mail set-up page", () => {
  it("shows the server, user and sender, never the password", async () => {
    const page = await admin.get("/admin/mail");
    expect(page.status).toBe(200);
    const body = section(page.text, "mail-setup");
    expect(body).toContain(`127.0.0.1:${new URL(smtp.url).port}`);
    expect(body).toContain("Desk &lt;support@desk.example&gt;");
    expect(body).toContain("IMAP_URL is not set");
    const withLogin = await testApp({
      SMTP_URL: "smtps://desk%40example.org:s3cret-pass@smtp.example.org",
      IMAP_URL: "imaps://inbox%40example.org:imap-pass@imap.example.org",
    });
    try {
      const a = await browserAs(withLogin, await createUser(withLogin.db, { role: "admin" }));
      const shown = await a.get("/admin/mail");
      expect(shown.text).toContain("smtp.example.org:465");
      expect(shown.text).toContain("desk@example.org");
      expect(shown.text).toContain("TLS from the start (smtps)");
      expect(shown.text).toContain("imap.example.org");
      for (const secret of ["s3cret-pass", "imap-pass"]) expect(shown.text).not.toContain(secret);
    } finally {
      await withLogin.close();
    }
  });

  it("sends a test message to the admin and shows the server's answer", async () => {
    smtp.received.length = 0;
    const res = await admin.post("/admin/mail/test");
    expect(res.status).toBe(200);
    const [mail] = await smtp.waitFor(1);
    expect(mail!.to).toEqual(["ada@desk.example"]);
    expect(mail!.parsed.subject).toBe("Test message from Desk");
    expect(section(res.text, "mail-setup")).toMatch(/The server answered: <code dir="ltr">250[^<]*<\/code>/);
  });

  it("shows the server's refusal when it refuses", async () => {
    smtp.answers.push({ code: 550, text: "5.7.1 Relaying denied" });
    const res = await admin.post("/admin/mail/test", {}, { htmx: "partial" });
    expect(res.status).toBe(502);
    expect(res.text).toMatch(/^<section id="mail-setup"/);
    expect(res.text).toContain("Not sent.");
    expect(res.text).toContain("550 5.7.1 Relaying denied");
  });

  it("says when nothing can be sent, and is for admins only", async () => {
    const bare = await testApp();
    try {
      const a = await browserAs(bare, await createUser(bare.db, { role: "admin" }));
      expect((await a.get("/admin/mail")).text).toContain("SMTP_URL is not set");
      const res = await a.post("/admin/mail/test");
      expect(res.status).toBe(409);
      expect(res.text).toContain("SMTP_URL is not set");
    } finally {
      await bare.close();
    }
    const agent = await browserAs(t, await createUser(t.db, { role: "agent" }));
    expect((await agent.get("/admin/mail")).status).toBe(403);
    expect((await agent.post("/admin/mail/test")).status).toBe(403);
  });
});
