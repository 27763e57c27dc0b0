import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { Secret, TOTP } from "otpauth";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeTicket } from "../../src/tickets/changes.js";
import { type Server, startServer } from "../e2e/harness.js";
import { Browser, createUser, PASSWORD } from "../helpers/app.js";
import { button, fieldAfter, Lynx, reading } from "./lynx.js";

// The strictest client we promise, Debian's Lynx, scripted: register, sign in, open a ticket with a
// file, reply, close, reopen; and a guest at a kiosk opens a ticket and gets the receipt.

let server: Server;
beforeAll(async () => {
  server = await startServer({ GUEST_TICKETS: "true" });
}, 120_000);
afterAll(() => server?.close());

const url = (path: string) => `${server.url}${path}`;

describe("Lynx", () => {
  it("registers, signs in, opens a ticket with a file, replies, closes and reopens it", async () => {
    const lynx = new Lynx();
    const register = await lynx.dump(url("/register"));
    const [registered] = await lynx.run(url("/register"), (s) =>
      s
        .fill(fieldAfter(register, "Your name"), "Lynn Lynx")
        .fill(fieldAfter(register, "Email"), "lynn@example.com")
        .fill(fieldAfter(register, "Password"), "a long lynx passphrase")
        .press(button(register, "Create account"))
        .save(),
    );
    expect(reading(registered!)).toContain("We emailed you a link");

    const login = await lynx.dump(url("/login"));
    const [signedIn] = await lynx.run(url("/login"), (s) =>
      s
        .fill(fieldAfter(login, "Email"), "lynn@example.com")
        .fill(fieldAfter(login, "Password"), "a long lynx passphrase")
        .press(button(login, "Sign in"))
        .save(),
    );
    expect(reading(signedIn!)).toContain("My tickets");

    const notes = join(lynx.dir, "printer notes.txt");
    writeFileSync(notes, "Tray 2 jams on every second page.\n");
    const form = await lynx.dump(url("/tickets/new"));
    const [opened] = await lynx.run(url("/tickets/new"), (s) =>
      s
        .fill(fieldAfter(form, "Subject"), "Lynx printer jam")
        .area(fieldAfter(form, "Description"), "The printer on floor 2 jams, notes attached.")
        .fill(fieldAfter(form, "Attach files"), notes)
        .press(button(form, "Open ticket"))
        .save(),
    );
    const ticketPage = reading(opened!);
    expect(ticketPage).toMatch(/Ticket #\d+ is open\. We will answer here\./);
    expect(ticketPage).toContain("Lynx printer jam");
    expect(ticketPage).toContain("printer notes.txt");
    expect(ticketPage).toContain("No replies yet.");
    const ticket = await server.t.db.ticket.findFirstOrThrow({
      where: { subject: "Lynx printer jam" },
      include: { attachments: true },
    });
    // The file went up as multipart, whole.
    expect(ticket.attachments.map((f) => [f.name, f.size])).toEqual([["printer notes.txt", 34]]);
    const path = `/tickets/${ticket.id}`;

    const page = await lynx.dump(url(path));
    const [replied] = await lynx.run(url(path), (s) =>
      s.area(fieldAfter(page, "Your reply"), "It jams on tray 1 too.").press(button(page, "Send reply")).save(),
    );
    const afterReply = reading(replied!);
    expect(afterReply).toContain("It jams on tray 1 too.");
    // What is not true is not on the screen (it was, hidden by a stylesheet Lynx does not read).
    expect(afterReply).not.toContain("No replies yet.");

    const withReply = await lynx.dump(url(path));
    const [closed] = await lynx.run(url(path), (s) => s.press(button(withReply, "Close ticket")).save());
    expect(reading(closed!)).toContain(`Ticket #${ticket.id} is closed`);
    const closedPage = await lynx.dump(url(path));
    const [reopened] = await lynx.run(url(path), (s) => s.press(button(closedPage, "Reopen ticket")).save());
    expect(reading(reopened!)).toContain(`Ticket #${ticket.id} is open again`);
    expect((await server.t.db.ticket.findUniqueOrThrow({ where: { id: ticket.id } })).status).toBe("Open");
  }, 120_000);

  it("signs in with a password and the code from an authenticator app (two-step sign-in)", async () => {
    const secret = new Secret({ size: 20 }).base32;
    const user = await createUser(server.t.db, { name: "Tova Twostep" });
    await server.t.db.user.update({ where: { id: user.id }, data: { totpSecret: secret, totpEnabledAt: new Date() } });
    const lynx = new Lynx();
    const login = await lynx.dump(url("/login"));
    // Nothing offers a passkey where no script runs.
    expect(login).not.toContain("passkey");
    const [second] = await lynx.run(url("/login"), (s) =>
      s
        .fill(fieldAfter(login, "Email"), user.email)
        .fill(fieldAfter(login, "Password"), PASSWORD)
        .press(button(login, "Sign in"))
        .save(),
    );
    expect(reading(second!)).toContain("Enter your code");
    const step = await lynx.dump(url("/login/two-factor"));
    const code = TOTP.generate({ secret: Secret.fromBase32(secret), timestamp: server.t.clock.t });
    const [signedIn] = await lynx.run(url("/login/two-factor"), (s) =>
      s.fill(fieldAfter(step, "Code"), code).press(button(step, "Sign in")).save(),
    );
    expect(reading(signedIn!)).toContain("My tickets");
  }, 120_000);

  it("answers “How did we do?” from the closing email's link, without signing in", async () => {
    const db = server.t.db;
    const rita = await createUser(db, { name: "Rita Lynx" });
    const agent = await createUser(db, { role: "agent", name: "Alex Lynx" });
    const ticket = await db.ticket.create({
      data: { subject: "Lynx survey", description: "Jams.", requesterId: rita.id },
    });
    await closeTicket(server.t.deps, agent, { ...ticket, assignee: null });
    const mail = await db.outboxMessage.findFirstOrThrow({ where: { ticketId: ticket.id, kind: "closed" } });
    const link = mail.text.match(/https?:\/\/\S+(\/survey\/\S+\?rating=good)/)![1]!;
    const lynx = new Lynx();
    const page = await lynx.dump(url(link));
    expect(reading(page)).toContain("How did we do?");
    expect(await db.surveyAnswer.count({ where: { ticketId: ticket.id } })).toBe(0);
    const [thanks] = await lynx.run(url(link), (s) =>
      s.area(fieldAfter(page, "Anything to add? (optional)"), "Quick fix").press(button(page, "Send my answer")).save(),
    );
    expect(reading(thanks!)).toContain("Thank you for your answer");
    const row = await db.surveyAnswer.findFirstOrThrow({ where: { ticketId: ticket.id } });
    expect([row.rating, row.comment]).toEqual(["good", "Quick fix"]);
  }, 120_000);

  it("a guest at a kiosk opens a ticket and reads the receipt's number and code", async () => {
    const lynx = new Lynx();
    const form = await lynx.dump(url("/guest"));
    const [receipt] = await lynx.run(
      url("/guest"),
      (s) =>
        s
          .fill(fieldAfter(form, "Subject"), "Lynx kiosk printer")
          .area(fieldAfter(form, "Description"), "The kiosk printer prints blank pages.")
          .press(button(form, "Open ticket"))
          .save(),
      // A person takes longer than the form's 3 s guard: the desk's clock moves on meanwhile.
      {
        after: 0,
        wait: async () => {
          await new Promise((r) => setTimeout(r, 1_000));
          server.t.clock.advance(5_000);
        },
      },
    );
    const screen = reading(receipt!);
    expect(screen).toContain("Your ticket is open");
    expect(screen).toMatch(/#\d+/);
    expect(screen).toMatch(/[A-Z2-9]{4}-[A-Z2-9]{4}/);
  }, 120_000);

  it("after Finish on the receipt, Back does not show the code again", async () => {
    // The receipt's numbering, from a receipt of the same shape (Lynx numbers a saved page alike).
    const kiosk = new Browser(server.t);
    const stamp = (await kiosk.get("/guest")).text.match(/name="stamp" value="([^"]+)"/)![1]!;
    server.t.clock.advance(5_000);
    const fields = { subject: "Shape", description: "A receipt to number.", priority: "Medium", stamp, website: "" };
    const opened = await kiosk.postFiles("/guest", fields, []);
    expect(opened.status).toBe(303);
    const shape = join(new Lynx().dir, "receipt.html");
    writeFileSync(shape, (await kiosk.get("/guest/receipt")).text);
    const lynx = new Lynx();
    const numbered = await lynx.dump(shape);
    const form = await lynx.dump(url("/guest"));
    const [receipt, finished, back] = await lynx.run(
      url("/guest"),
      (s) =>
        s
          .fill(fieldAfter(form, "Subject"), "Lynx kiosk scanner")
          .area(fieldAfter(form, "Description"), "The kiosk scanner saves blank pages.")
          .press(button(form, "Open ticket"))
          .save()
          .press(button(numbered, "Finish and leave this computer"))
          .save()
          .keys("Left Arrow")
          .save(),
      {
        after: 0,
        wait: async () => {
          await new Promise((r) => setTimeout(r, 1_000));
          server.t.clock.advance(5_000);
        },
      },
    );
    const code = reading(receipt!).match(/[A-Z2-9]{4}-[A-Z2-9]{4}/)![0];
    expect(reading(finished!)).toContain("It is safe to leave this computer.");
    // Finish answered with the receipt's own address: Lynx replaced the receipt in its history,
    // so Back goes to the page before it (the form), not to a copy of the code.
    expect(reading(back!)).not.toContain(code);
    expect(reading(back!)).not.toContain("Your ticket is open");
  }, 120_000);
});
