import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Browser, browserAs, createUser, section, type TestApp, testApp } from "../helpers/app.js";
import { PNG } from "../helpers/files.js";

// Tickets without an account at a kiosk: the guarded form, the receipt, the number + code look-up
// (throttled, one answer for a wrong number and a wrong code), the guest's short session on one
// ticket only, and the guest marked in the queue.

let t: TestApp;
beforeAll(async () => {
  t = await testApp({ KIOSK_MODE: "true", GUEST_TICKETS_PER_HOUR: "50" });
});
afterAll(() => t.close());

const main = (html: string) => html.slice(html.indexOf("<main"), html.indexOf("</main>"));
let n = 0;
const fields = () => ({
  subject: `Kiosk printer ${++n}`,
  description: "The kiosk printer prints blank pages.",
  priority: "High",
});

/** The guest form as a person fills it: shown, then sent some seconds later. */
async function openAsGuest(
  browser: Browser,
  extra: Record<string, string> = {},
  files: Parameters<Browser["postFiles"]>[2] = [],
) {
  const form = await browser.get("/guest");
  const stamp = form.text.match(/name="stamp" value="([^"]+)"/)![1]!;
  t.clock.advance(5_000);
  return browser.postFiles("/guest", { ...fields(), stamp, website: "", ...extra }, files);
}

async function guestWithTicket(extra: Record<string, string> = {}, files: Parameters<Browser["postFiles"]>[2] = []) {
  const guest = new Browser(t);
  const res = await openAsGuest(guest, extra, files);
  expect(res.status, res.text.slice(0, 3000)).toBe(303);
  expect(res.location).toBe("/guest/receipt");
  const receipt = await guest.get("/guest/receipt");
  const id = Number(receipt.text.match(/<dd class="big">#(\d+)<\/dd>/)![1]);
  const code = receipt.text.match(/<dd class="big code" dir="ltr">([A-Z0-9]{4}-[A-Z0-9]{4})<\/dd>/)![1]!;
  return { guest, id, code, receipt };
}

describe("opening a ticket without an account", () => {
  it("is off unless GUEST_TICKETS or KIOSK_MODE says so", async () => {
    const off = await testApp();
    try {
      const anon = new Browser(off);
      expect((await anon.get("/guest")).status).toBe(404);
      expect((await anon.get("/status")).status).toBe(404);
      expect((await anon.get("/")).text).not.toContain('href="/guest"');
    } finally {
      await off.close();
    }
    const home = await new Browser(t).get("/");
    expect(home.text).toContain('<a class="button" href="/guest">Open a ticket without an account</a>');
  });

  it("offers subject, description, priority, an optional email and files, with a stamp and a honeypot", async () => {
    const form = await new Browser(t).get("/guest");
    expect(form.status).toBe(200);
    for (const label of ['for="subject"', 'for="description"', 'for="priority"', 'for="email"', 'for="files"'])
      expect(form.text).toContain(label);
    // The time it was shown and the browser it was shown to, signed.
    expect(form.text).toMatch(/name="stamp" value="\d+\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]+"/);
    expect(form.text).toContain('<div class="hp"><label for="website">');
    expect(form.text).toContain('enctype="multipart/form-data"');
  });

  it("answers with a receipt: the number, a grouped 8-character code without look-alikes, the status page", async () => {
    const { id, code, receipt } = await guestWithTicket();
    expect(code).toMatch(/^[ABCDEFGHJKMNPQRSTUVWXYZ23456789]{4}-[ABCDEFGHJKMNPQRSTUVWXYZ23456789]{4}$/);
    expect(receipt.text).toContain("Print this receipt");
    expect(receipt.text).toContain("/status</dd>");
    expect(receipt.headers.get("Cache-Control")).toBe("no-store");
    const ticket = await t.db.ticket.findUniqueOrThrow({ where: { id }, include: { requester: true } });
    expect(ticket.guest).toBe(true);
    // Stored as an HMAC, never the code itself.
    expect(ticket.accessCode).toMatch(/^[0-9a-f]{64}$/);
    expect(ticket.accessCode).not.toContain(code.replace("-", ""));
    expect(ticket.requester).toMatchObject({ name: "Guest", passwordHash: "", role: "requester" });
    expect(ticket.requester.email).toMatch(/^guest-[a-z0-9_-]+@guest\.invalid$/);
    // Nobody to mail: no receipt in the outbox.
    expect(await t.db.outboxMessage.count({ where: { ticketId: id } })).toBe(0);
  });

  it("sets a guest cookie that ends with the browser, and the receipt's cookie on its own path", async () => {
    const guest = new Browser(t);
    const form = await guest.get("/guest");
    const stamp = form.text.match(/name="stamp" value="([^"]+)"/)![1]!;
    t.clock.advance(5_000);
    const res = await guest.request("/guest", {
      method: "POST",
      body: new URLSearchParams({ ...fields(), stamp, website: "", _csrf: guest.csrf! }),
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
    });
    const cookies = res.headers.getSetCookie();
    const session = cookies.find((line) => line.startsWith("hyperdesk_guest="))!;
    expect(session).toMatch(/HttpOnly/i);
    expect(session).not.toMatch(/expires|max-age/i);
    expect(cookies.find((line) => line.startsWith("hyperdesk_receipt="))).toMatch(/Path=\/guest\/receipt/);
  });

  it.each([
    ["sent under 3 seconds after it was shown", 1_000, {}, "quicker than anyone can type"],
    ["open for over an hour", 3_600_001, {}, "open for over an hour"],
    ["with the honeypot filled in", 5_000, { website: "http://spam.example" }, "could not be sent"],
    ["with a forged stamp", 5_000, { stamp: "1.forged" }, "could not be sent"],
  ])("refuses a form %s with 422, the text kept, nothing made", async (_, wait, extra, message) => {
    const before = await t.db.ticket.count();
    const guest = new Browser(t);
    const form = await guest.get("/guest");
    const stamp = form.text.match(/name="stamp" value="([^"]+)"/)![1]!;
    t.clock.advance(wait);
    const sent = fields();
    const res = await guest.postFiles("/guest", { ...sent, stamp, website: "", ...extra }, []);
    expect(res.status).toBe(422);
    expect(section(res.text, "error-summary")).toContain(message);
    expect(res.text).toContain(`value="${sent.subject}"`);
    expect(await t.db.ticket.count()).toBe(before);
  });

  it("checks the fields like any ticket form, and the optional email address", async () => {
    const guest = new Browser(t);
    const res = await openAsGuest(guest, { subject: "x", email: "not-an-address" });
    expect(res.status).toBe(422);
    expect(section(res.text, "subject-error")).toContain("at least 3");
    expect(section(res.text, "email-error")).toContain("Enter an email address like name@example.com.");
  });

  it("takes a form's stamp once, and only from the browser it was shown to", async () => {
    const kiosk = new Browser(t);
    const form = await kiosk.get("/guest");
    const stamp = form.text.match(/name="stamp" value="([^"]+)"/)![1]!;
    t.clock.advance(5_000);
    const before = await t.db.ticket.count();
    const sent = fields();
    expect((await kiosk.postFiles("/guest", { ...sent, stamp, website: "" }, [])).location).toBe("/guest/receipt");
    // The same form again from the same browser (a double click): its receipt, no second ticket.
    const again = await kiosk.postFiles("/guest", { ...sent, stamp, website: "" }, []);
    expect([again.status, again.location]).toEqual([303, "/guest/receipt"]);
    // Replayed from three other browsers (each with its own form cookie and token): refused.
    for (let i = 0; i < 3; i++) {
      const other = new Browser(t);
      await other.get("/login");
      const replay = await other.postFiles("/guest", { ...fields(), stamp, website: "" }, []);
      expect(replay.status).toBe(422);
      expect(section(replay.text, "error-summary")).toContain("could not be sent");
    }
    // A browser whose guest session is gone, sending the spent stamp: told so, nothing made.
    const bare = new Browser(t);
    bare.cookies.set("hyperdesk_csrf", kiosk.cookies.get("hyperdesk_csrf")!);
    const spent = await bare.postFiles("/guest", { ...fields(), stamp, website: "" }, [], {
      headers: {},
    });
    expect(spent.status).toBe(422);
    expect(spent.text).toContain("This form was sent already");
    expect(await t.db.ticket.count()).toBe(before + 1);
  });

  it("sends one address at most GUEST_TICKETS_PER_ADDRESS_PER_HOUR receipts, from any number of machines", async () => {
    const strict = await testApp({ GUEST_TICKETS: "true", GUEST_TICKETS_PER_ADDRESS_PER_HOUR: "2", TRUST_PROXY: "1" });
    try {
      const send = async (machine: number) => {
        const guest = new Browser(strict);
        const headers = { "X-Forwarded-For": `198.51.100.${machine}` };
        const form = await guest.request("/guest", { headers });
        const stamp = form.text.match(/name="stamp" value="([^"]+)"/)![1]!;
        strict.clock.advance(5_000);
        const body = { ...fields(), email: "Victim@Example.org", stamp, website: "" };
        return guest.postFiles("/guest", body, [], { headers });
      };
      expect((await send(1)).status).toBe(303);
      expect((await send(2)).status).toBe(303);
      const third = await send(3);
      expect(third.status).toBe(429);
      expect(await strict.db.outboxMessage.count({ where: { toAddress: "victim@example.org" } })).toBe(2);
    } finally {
      await strict.close();
    }
  });

  it("throttles guest tickets per client address", async () => {
    const strict = await testApp({ GUEST_TICKETS: "true", GUEST_TICKETS_PER_HOUR: "2" });
    try {
      const guest = new Browser(strict);
      const send = async () => {
        const form = await guest.get("/guest");
        const stamp = form.text.match(/name="stamp" value="([^"]+)"/)![1]!;
        strict.clock.advance(5_000);
        return guest.postFiles("/guest", { ...fields(), stamp, website: "" }, []);
      };
      expect((await send()).status).toBe(303);
      expect((await send()).status).toBe(303);
      const third = await send();
      expect(third.status).toBe(429);
      expect(third.headers.get("Retry-After")).toMatch(/^\d+$/);
    } finally {
      await strict.close();
    }
  });

  it("with an email address: the guest's ticket, claimed for the address, whose receipt holds the desk's words alone", async () => {
    const { guest, id } = await guestWithTicket({ email: "Kim@Example.org" });
    const ticket = await t.db.ticket.findUniqueOrThrow({ where: { id }, include: { requester: true } });
    expect(ticket.claimedEmail).toBe("kim@example.org");
    expect(ticket.requester.email).toMatch(/^guest-[a-z0-9_-]+@guest\.invalid$/);
    const receipt = await t.db.outboxMessage.findFirstOrThrow({ where: { ticketId: id } });
    expect([receipt.kind, receipt.toAddress]).toEqual(["receipt", "kim@example.org"]);
    for (const theirs of [ticket.subject, ticket.description]) expect(receipt.text).not.toContain(theirs);
    // The kiosk's receipt says where the message went and what it asks.
    expect((await guest.get("/guest/receipt")).text).toContain("We sent a message to kim@example.org.");
    // The receipt's mailed link stands for the code: yes opens the ticket in that browser at once.
    const token = decodeURIComponent(receipt.text.match(/\/claim\?token=([^\s]+)/)![1]!);
    const phone = new Browser(t);
    await phone.get(`/claim?token=${encodeURIComponent(token)}`);
    const yes = await phone.post("/claim", { token, answer: "yes" });
    expect(section(yes.text, "claim")).toContain(`href="/tickets/${id}"`);
    const page = await phone.get(`/tickets/${id}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain(ticket.subject);
    // No code was looked up: nothing counted against the ticket.
    expect(await t.db.throttle.count({ where: { key: { startsWith: `guest:code:ticket:${id}` } } })).toBe(0);
  });

  it("planted under an address with an account, the ticket is not among that account's until its owner says yes", async () => {
    const kay = await createUser(t.db, { name: "Kay Real", email: "kay@example.org" });
    const { guest, id } = await guestWithTicket({ email: "kay@example.org" });
    const own = await browserAs(t, kay);
    const subject = (await t.db.ticket.findUniqueOrThrow({ where: { id } })).subject;
    expect((await own.get("/tickets")).text).not.toContain(subject);
    expect((await own.get(`/tickets/${id}`)).status).toBe(404);
    // Kay is not greeted by name by a desk that cannot know it was her.
    const receipt = await t.db.outboxMessage.findFirstOrThrow({ where: { ticketId: id } });
    expect(receipt.text).not.toContain("Kay");
    // The guest goes on replying with the code; Kay confirms from her mail, signed in: it is hers.
    await guest.get(`/tickets/${id}`);
    expect((await guest.post(`/tickets/${id}/replies`, { body: "Any news?" })).status).toBe(303);
    const token = decodeURIComponent(receipt.text.match(/\/claim\?token=([^\s]+)/)![1]!);
    await own.get(`/claim?token=${encodeURIComponent(token)}`);
    const yes = await own.post("/claim", { token, answer: "yes" });
    expect(section(yes.text, "claim")).toContain(`href="/tickets/${id}"`);
    const page = await own.get(`/tickets/${id}`);
    expect(page.status).toBe(200);
    // What the guest wrote is Kay's now, and the guest account is marked merged into hers.
    const reply = await t.db.reply.findFirstOrThrow({ where: { ticketId: id } });
    expect(reply.authorId).toBe(kay.id);
    const old = await t.db.user.findFirstOrThrow({ where: { mergedIntoId: kay.id } });
    expect(old.email).toMatch(/@guest\.invalid$/);
    // The kiosk's view of the ticket goes on with its code.
    expect((await guest.get(`/tickets/${id}`)).status).toBe(200);
  });

  it("a disabled account's address is not written to", async () => {
    const gone = await createUser(t.db, { email: "gone@example.org" });
    await t.db.user.update({ where: { id: gone.id }, data: { disabledAt: new Date() } });
    const { id } = await guestWithTicket({ email: "gone@example.org" });
    expect((await t.db.ticket.findUniqueOrThrow({ where: { id } })).claimedEmail).toBeNull();
    expect(await t.db.outboxMessage.count({ where: { toAddress: "gone@example.org" } })).toBe(0);
  });

  it("does not file a ticket in a staff member's name: their address makes a guest of its own", async () => {
    const agent = await createUser(t.db, { role: "agent", email: "agent-kiosk@example.com" });
    const { id } = await guestWithTicket({ email: agent.email });
    const ticket = await t.db.ticket.findUniqueOrThrow({ where: { id } });
    expect(ticket.requesterId).not.toBe(agent.id);
  });

  it("takes a file with the ticket, larger than the other forms' body limit", async () => {
    const big = Buffer.concat([PNG, Buffer.alloc(t.config.bodyLimitBytes, 0)]);
    const { guest, id } = await guestWithTicket({}, [{ name: "blank page.png", bytes: big }]);
    const page = await guest.get(`/tickets/${id}`);
    const file = page.text.match(/href="(\/tickets\/\d+\/files\/\d+)"/)![1]!;
    const served = await guest.get(file);
    expect(served.status).toBe(200);
    // On a kiosk a file is never kept on the shared machine's disk.
    expect(served.headers.get("Cache-Control")).toBe("private, no-store, no-transform");
    // Another browser without the guest's session: the file is not there for it.
    expect((await new Browser(t).get(file)).status).toBe(303);
    // Nor for the guest of another ticket.
    const other = await guestWithTicket();
    expect((await other.guest.get(file)).status).toBe(303);
    expect((await other.guest.get(file, { htmx: "partial" })).status).toBe(204);
  });
});

describe("the guest's view of the ticket", () => {
  it("reads, replies, closes and reopens that one ticket, and nothing else", async () => {
    const { guest, id } = await guestWithTicket();
    const page = await guest.get(`/tickets/${id}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain(`Your ticket #${id}`);
    expect(page.text).not.toContain("Back to my tickets");
    expect(page.text).not.toContain('href="/account"');
    const reply = await guest.postFiles(`/tickets/${id}/replies`, { body: "It happens on page 2 too." }, [
      { name: "page2.png", bytes: PNG },
    ]);
    expect(reply.status).toBe(303);
    expect((await guest.post(`/tickets/${id}/close`)).status).toBe(303);
    expect((await t.db.ticket.findUniqueOrThrow({ where: { id } })).status).toBe("Closed");
    expect((await guest.post(`/tickets/${id}/reopen`)).status).toBe(303);
    // Every other page treats the browser as signed out.
    for (const path of ["/tickets", "/tickets/new", "/account", "/queue", `/tickets/${id + 1000}`])
      expect((await guest.get(path)).status, path).toBe(303);
    expect((await guest.post(`/tickets/${id}/triage`, { status: "Open", priority: "Low", assignee: "" })).status).toBe(
      303,
    );
  });

  it("ends after the kiosk's idle time: the ticket's page sends the guest to /status with why", async () => {
    const { guest, id } = await guestWithTicket();
    t.clock.advance(t.config.sessionIdleMs - 1_000);
    expect((await guest.get(`/tickets/${id}`)).status).toBe(200);
    // Each visit renews it; a full idle time without one ends it.
    t.clock.advance(t.config.sessionIdleMs + 1);
    const ended = await guest.get(`/tickets/${id}`);
    expect(ended.status).toBe(303);
    expect(ended.location).toBe("/status");
    expect((await guest.get("/status")).text).toContain("Your view of the ticket ended.");
    // Nor is the receipt there any more: its address has nothing of the ticket.
    const receipt = await guest.get("/guest/receipt");
    expect(receipt.text).not.toContain(`#${id}`);
  });

  it("a reply typed while the view ran out of time is kept, and back in the box after the number and code", async () => {
    const { guest, id, code } = await guestWithTicket();
    await guest.get(`/tickets/${id}`);
    t.clock.advance(t.config.sessionIdleMs + 1);
    const sent = await guest.post(`/tickets/${id}/replies`, { body: "The second tray jams too, since Monday." });
    expect(sent.status).toBe(303);
    const draft = sent.location!.match(/^\/status\?draft=([0-9a-f-]{36})$/)?.[1];
    expect(draft).toBeDefined();
    expect(await t.db.reply.count({ where: { ticketId: id } })).toBe(0);
    const lookup = await guest.get(sent.location!);
    expect(lookup.text).toContain("What you typed is kept");
    expect(lookup.text).toContain(`<input type="hidden" name="draft" value="${draft}"/>`);
    const back = await guest.post("/status", { number: String(id), code, draft: draft! });
    expect(back.location).toBe(`/tickets/${id}?draft=${draft}`);
    const page = await guest.get(back.location!);
    expect(page.text).toContain("The second tray jams too, since Monday.</textarea>");
    // Given back once: the same link again shows an empty box.
    expect((await guest.get(back.location!)).text).not.toContain("since Monday.</textarea>");
    // Someone else's view of another ticket cannot take it.
    const other = await guestWithTicket();
    const stranger = await other.guest.get(`/tickets/${other.id}?draft=${draft}`);
    expect(stranger.text).not.toContain("since Monday");
  });

  it("Finish ends it at once, wipes what the browser kept (as signing out does) and says it is safe to leave", async () => {
    const { guest, id } = await guestWithTicket();
    const done = await guest.post("/status/leave");
    expect(done.status).toBe(303);
    expect(done.location).toBe("/?finished");
    expect(done.headers.get("Clear-Site-Data")).toBe('"cache", "cookies", "storage"');
    expect((await guest.get(done.location!)).text).toContain("It is safe to leave this computer.");
    expect((await guest.get(`/tickets/${id}`)).status).toBe(303);
    // The receipt's address says so too, with no number or code.
    const receipt = await guest.get("/guest/receipt");
    expect(receipt.status).toBe(200);
    expect(receipt.text).toContain("It is safe to leave this computer.");
    expect(receipt.text).not.toContain(`#${id}`);
  });

  it("Finish on the receipt answers with the receipt's own address, which then says it is safe to leave", async () => {
    const { guest, code } = await guestWithTicket();
    const done = await guest.post("/status/leave", { from: "receipt" });
    expect(done.location).toBe("/guest/receipt");
    const page = await guest.get(done.location!);
    expect(page.status).toBe(200);
    expect(page.text).toContain("It is safe to leave this computer.");
    expect(page.text).not.toContain(code);
    // With htmx the whole page goes there too.
    const other = await guestWithTicket();
    const partial = await other.guest.post("/status/leave", { from: "receipt" }, { htmx: "partial" });
    expect(partial.headers.get("HX-Redirect") ?? partial.headers.get("HX-Location") ?? "").toContain("/guest/receipt");
  });
});

describe("looking a ticket up by number and code (/status)", () => {
  it("opens the ticket with the right number and code, typed any way", async () => {
    const { id, code } = await guestWithTicket();
    const kiosk = new Browser(t);
    await kiosk.get("/status");
    const res = await kiosk.post("/status", { number: `#${id}`, code: ` ${code.toLowerCase().replace("-", " ")} ` });
    expect(res.status).toBe(303);
    expect(res.location).toBe(`/tickets/${id}`);
    expect((await kiosk.get(`/tickets/${id}`)).status).toBe(200);
  });

  it("gives one answer for a wrong number and a wrong code", async () => {
    const { id, code } = await guestWithTicket();
    const kiosk = new Browser(t);
    await kiosk.get("/status");
    const wrongCode = await kiosk.post("/status", { number: String(id), code: "ZZZZZZZZ" });
    const wrongNumber = await kiosk.post("/status", { number: "999999", code });
    const notGuest = await kiosk.post("/status", {
      number: String((await t.db.ticket.findFirstOrThrow({ where: { guest: false } }).catch(() => ({ id: 1 }))).id),
      code,
    });
    for (const res of [wrongCode, wrongNumber, notGuest]) {
      expect(res.status).toBe(422);
      expect(section(res.text, "code-error")).toContain("No ticket matches this number and code.");
    }
    expect(main(wrongCode.text).replace(/value="[^"]*"/g, "")).toBe(
      main(wrongNumber.text).replace(/value="[^"]*"/g, ""),
    );
  });

  it("paces wrong codes past the limit (seconds, not a lockout), and the right code gets in after the wait", async () => {
    const { id, code } = await guestWithTicket();
    const kiosk = new Browser(t);
    await kiosk.get("/status");
    for (let i = 0; i < t.config.loginMaxFailures; i++)
      expect((await kiosk.post("/status", { number: String(id), code: "ZZZZZZZZ" })).status).toBe(422);
    // The sixth guess takes the one slot and is tried (wrong); the next one, at once, waits a second.
    expect((await kiosk.post("/status", { number: String(id), code: "ZZZZZZZZ" })).status).toBe(422);
    const paced = await kiosk.post("/status", { number: String(id), code });
    expect(paced.status).toBe(429);
    expect(paced.headers.get("Retry-After")).toBe("1");
    // The form stays, with the wait said next to the code (JS off and htmx alike).
    expect(section(paced.text, "code-error")).toContain("Wait 1 second, then send it again.");
    expect(paced.text).toContain(`value="${id}"`);
    // Each further wrong guess doubles the wait, up to PACE_MAX_MS.
    t.clock.advance(1_000);
    expect((await kiosk.post("/status", { number: String(id), code: "ZZZZZZZZ" })).status).toBe(422);
    const longer = await kiosk.post("/status", { number: String(id), code }, { htmx: "partial" });
    expect([longer.status, longer.headers.get("Retry-After")]).toEqual([429, "4"]);
    expect(longer.text).toMatch(/^<form id="lookup-form"/);
    t.clock.advance(4_000);
    expect((await kiosk.post("/status", { number: String(id), code })).status).toBe(303);
    const address = await t.db.throttle.findFirst({ where: { key: { startsWith: "guest:code:address:" } } });
    expect(address).not.toBeNull();
  });

  it("guesses at bursts take one slot: of twenty at once past the limit, one is tried", async () => {
    const { id } = await guestWithTicket();
    const kiosk = new Browser(t);
    await kiosk.get("/status");
    for (let i = 0; i < t.config.loginMaxFailures; i++)
      await kiosk.post("/status", { number: String(id), code: "ZZZZZZZZ" });
    const burst = await Promise.all(
      Array.from({ length: 20 }, () => kiosk.post("/status", { number: String(id), code: "ZZZZZZZZ" })),
    );
    expect(burst.filter((r) => r.status === 422)).toHaveLength(1);
    expect(burst.filter((r) => r.status === 429)).toHaveLength(19);
  });

  it("a guest already looking at the ticket in this browser needs no code", async () => {
    const { guest, id } = await guestWithTicket();
    const res = await guest.post("/status", { number: String(id), code: "ZZZZZZZZ" });
    expect([res.status, res.headers.get("Location")]).toEqual([
      303,
      expect.stringMatching(new RegExp(`/tickets/${id}$`)),
    ]);
    expect(await t.db.throttle.count({ where: { key: { startsWith: `guest:code:ticket:${id}` } } })).toBe(0);
  });

  it("lets a guest in while someone elsewhere guesses at their ticket (the tight limit is per ticket and address)", async () => {
    const { id, code } = await guestWithTicket();
    const guesser = new Browser(t);
    await guesser.get("/status");
    for (let i = 0; i <= t.config.loginMaxFailures; i++)
      await guesser.post("/status", { number: String(id), code: "ZZZZZZZZ" });
    // The guesser's own address is now paced for this ticket...
    expect((await guesser.post("/status", { number: String(id), code })).status).toBe(429);
    // ...but the ticket's guest, at another address, is not. (Every request here comes from one
    // address: the guesser's failures are moved to another one's rows, as they would have counted.)
    const rows = await t.db.throttle.findMany({ where: { key: { startsWith: `guest:code:pair:${id}|` } } });
    for (const row of rows)
      await t.db.throttle.update({ where: { key: row.key }, data: { key: row.key.replace(/\|[^:]+/, "|elsewhere") } });
    const kiosk = new Browser(t);
    await kiosk.get("/status");
    expect((await kiosk.post("/status", { number: String(id), code })).status).toBe(303);
  });

  it("checks the shape of what was typed first", async () => {
    const kiosk = new Browser(t);
    await kiosk.get("/status");
    const res = await kiosk.post("/status", { number: "abc", code: "12" }, { htmx: "partial" });
    expect(res.status).toBe(422);
    expect(res.text).toMatch(/^<form id="lookup-form"/);
    expect(section(res.text, "number-error")).toContain("Enter the ticket number");
    expect(section(res.text, "code-error")).toContain("8-character access code");
  });
});

describe("agents see guest tickets like any other", () => {
  it("marks them guest in the queue and on the ticket", async () => {
    const { id } = await guestWithTicket();
    const agent = await browserAs(t, await createUser(t.db, { role: "agent" }));
    const queue = await agent.get("/queue");
    // A space between the name and the mark: "Guest guest", never "Guestguest" (Lynx, copying).
    expect(queue.text).toContain('<bdi>Guest</bdi> <span class="badge guest">guest</span>');
    expect((await agent.get(`/tickets/${id}`)).text).toContain("guest, without an account");
  });
});
