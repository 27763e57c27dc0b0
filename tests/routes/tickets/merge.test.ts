import { unzipSync } from "fflate";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CurrentUser } from "../../../src/env.js";
import { replyAddress } from "../../../src/mail/addresses.js";
import { receiveMail } from "../../../src/mail/incoming.js";
import { mergeTickets } from "../../../src/tickets/merge.js";
import { type Browser, browserAs, createUser, section, type TestApp, testApp } from "../../helpers/app.js";
import { PDF, PNG } from "../../helpers/files.js";
import { eml } from "../../helpers/imap.js";

// Merging a duplicate into another ticket, and linking related ones (#27): the duplicate's words,
// notes and files move, marked "from #n"; it closes and its URL and mail lead to the survivor;
// two requesters each keep seeing only their own words; both histories say so; each requester is
// told by mail in their language. Staff only; bad numbers come back by their box.

let t: TestApp;
let agentUser: CurrentUser, rita: CurrentUser, omar: CurrentUser;
let agent: Browser, asRita: Browser, asOmar: Browser;

/** Opens a ticket from the browser with one file on its description; its number. */
async function openWithFile(b: Browser, subject: string, description: string, file = "photo.png") {
  const res = await b.postFiles("/tickets", { subject, description, priority: "Medium" }, [
    { name: file, bytes: PNG, type: "image/png" },
  ]);
  expect(res.status, res.text.slice(0, 500)).toBe(303);
  return Number(res.location!.split("/").pop());
}
const versionOf = async (id: number) => String((await t.db.ticket.findUniqueOrThrow({ where: { id } })).version);
/** The merge as a browser sends it: the first step (what it would be), then the confirmation. */
const merge = async (b: Browser, id: number, into: string, confirm = true) =>
  b.post(`/tickets/${id}/merge`, { into, version: await versionOf(id), ...(confirm ? { confirm: "yes" } : {}) });

beforeAll(async () => {
  t = await testApp({ MAIL_FROM: "Desk <support@desk.example>" });
  agentUser = await createUser(t.db, { role: "agent", name: "Alex Agent" });
  rita = await createUser(t.db, { name: "Rita Requester", email: "rita@example.com" });
  omar = await createUser(t.db, { name: "Omar Other", email: "omar@example.org" });
  await t.db.user.update({ where: { id: omar.id }, data: { language: "fr" } });
  agent = await browserAs(t, agentUser);
  asRita = await browserAs(t, rita);
  asOmar = await browserAs(t, omar);
});
afterAll(() => t.close());

describe("merging a duplicate of the same requester", () => {
  it("asks first, then moves the thread, notes and files in order, closes the duplicate and leads its URL on", async () => {
    const survivor = await openWithFile(asRita, "Printer on floor 2 jams", "It jams on every page.", "jam.png");
    t.clock.advance(60_000);
    const duplicate = await openWithFile(asRita, "Printer still jamming", "Still jams, see the photo.", "again.png");
    t.clock.advance(60_000);
    await asRita.postFiles(`/tickets/${duplicate}/replies`, { body: "And the tray is bent." }, [
      { name: "tray.pdf", bytes: PDF, type: "application/pdf" },
    ]);
    t.clock.advance(60_000);
    await agent.post(`/tickets/${duplicate}/replies`, { body: "Checked the tray myself.", kind: "note" });
    t.clock.advance(60_000);

    // The first step names the other ticket and writes nothing.
    const ask = await merge(agent, duplicate, `#${survivor}`, false);
    expect(ask.status).toBe(200);
    const asked = section(ask.text, "related");
    expect(asked).toContain(`Merge #${duplicate} into #${survivor}:`);
    expect(asked).toContain("Printer on floor 2 jams");
    expect(asked).toContain("Both tickets are from the same requester");
    expect((await t.db.ticket.findUniqueOrThrow({ where: { id: duplicate } })).mergedIntoId).toBeNull();

    const done = await merge(agent, duplicate, String(survivor));
    expect(done.status).toBe(303);
    expect(done.location).toBe(`/tickets/${survivor}`);
    const gone = await t.db.ticket.findUniqueOrThrow({ where: { id: duplicate } });
    expect([gone.status, gone.mergedIntoId, gone.closedAt !== null]).toEqual(["Closed", survivor, true]);
    expect(await t.db.reply.count({ where: { ticketId: duplicate } })).toBe(0);
    expect(await t.db.attachment.count({ where: { ticketId: duplicate } })).toBe(0);

    // The survivor's thread, in the order it was written, each moved message marked.
    const page = await agent.get(`/tickets/${survivor}`);
    expect(page.text).toContain(`Ticket #${duplicate} was merged into #${survivor}.`);
    const thread = section(page.text, "thread");
    const order = ["Still jams, see the photo.", "And the tray is bent.", "Checked the tray myself."].map((s) =>
      thread.indexOf(s),
    );
    expect(order.every((at, i) => at > 0 && (i === 0 || at > order[i - 1]!))).toBe(true);
    expect(thread).toContain(`opened #${duplicate}`);
    expect(thread).toContain(`from #${duplicate}`);
    expect(thread).toMatch(/class="internal"[\s\S]*Checked the tray myself/);
    expect(section(page.text, "history")).toContain(
      `merged <a href="/tickets/${duplicate}">#${duplicate}</a> into this ticket`,
    );

    // The requester sees their words and files there (not the note), and the old URL leads there.
    const own = await asRita.get(`/tickets/${survivor}`);
    expect(own.text).toContain("Still jams, see the photo.");
    expect(own.text).toContain("And the tray is bent.");
    expect(own.text).not.toContain("Checked the tray myself.");
    const files = await t.db.attachment.findMany({ where: { ticketId: survivor }, orderBy: { id: "asc" } });
    expect(files.map((f) => f.name)).toEqual(["jam.png", "again.png", "tray.pdf"]);
    for (const f of files) expect((await asRita.get(`/tickets/${survivor}/files/${f.id}`)).status).toBe(200);
    const old = await asRita.get(`/tickets/${duplicate}`);
    expect([old.status, old.location]).toEqual([303, `/tickets/${survivor}`]);
    expect((await agent.get(`/tickets/${duplicate}`)).location).toBe(`/tickets/${survivor}`);
    // The duplicate's history says where it went.
    const events = await t.db.ticketEvent.findMany({ where: { ticketId: duplicate }, orderBy: { id: "asc" } });
    expect(events.slice(-2).map((e) => [e.kind, e.toValue, e.internal])).toEqual([
      ["merged", String(survivor), false],
      ["status", "Closed", false],
    ]);

    // One email to the one requester, about where it went, and no "closed" email besides.
    const mail = await t.db.outboxMessage.findMany({
      where: { ticketId: duplicate, createdAt: { gte: gone.updatedAt } },
    });
    expect(mail.map((m) => [m.kind, m.toAddress])).toEqual([["merged", "rita@example.com"]]);
    expect(mail[0]!.text).toContain(`Alex Agent joined your request #${duplicate} with your request #${survivor}`);
    expect(mail[0]!.text).toContain(`/tickets/${survivor}`);
    expect(await t.db.outboxMessage.count({ where: { ticketId: survivor, kind: "mergedIn" } })).toBe(0);
  });

  it("a change sent to the merged ticket is refused (409) and nothing is written there", async () => {
    const survivor = await openWithFile(asRita, "Badge reader", "The badge reader is dead.");
    const duplicate = await openWithFile(asRita, "Badge reader again", "Door will not open.");
    expect((await merge(agent, duplicate, String(survivor))).status).toBe(303);
    const reply = await agent.post(`/tickets/${duplicate}/replies`, { body: "Late answer." });
    expect(reply.status).toBe(409);
    expect(reply.text).toContain(`Ticket #${duplicate} was merged into #${survivor}, so nothing was changed here.`);
    expect(await t.db.reply.count({ where: { body: "Late answer." } })).toBe(0);
    // Merging it again, or into it: it leads on.
    expect((await merge(agent, duplicate, String(survivor))).status).toBe(409);
    const other = await openWithFile(asRita, "Third report", "The badge reader beeps.");
    const into = await merge(agent, other, String(duplicate));
    expect(into.status).toBe(422);
    expect(section(into.text, "related")).toContain(
      `#${duplicate} was itself merged into #${survivor}: merge into #${survivor}.`,
    );
  });

  it("a ticket merged into one that is merged later leads to the last survivor", async () => {
    const a = await openWithFile(asRita, "Chain one", "First of a chain.");
    const b = await openWithFile(asRita, "Chain two", "Second of a chain.");
    const c = await openWithFile(asRita, "Chain three", "Third of a chain.");
    expect((await merge(agent, a, String(b))).status).toBe(303);
    expect((await merge(agent, b, String(c))).status).toBe(303);
    expect((await t.db.ticket.findUniqueOrThrow({ where: { id: a } })).mergedIntoId).toBe(c);
    const thread = section((await asRita.get(`/tickets/${c}`)).text, "thread");
    expect(thread).toContain("First of a chain.");
    expect(thread).toContain(`opened #${a}`);
    expect(thread).toContain(`opened #${b}`);
    expect((await asRita.get(`/tickets/${a}`)).location).toBe(`/tickets/${c}`);
  });
});

describe("merging tickets of two requesters", () => {
  it("needs the confirmation that says so, and each requester keeps seeing only their own words", async () => {
    const survivor = await openWithFile(asRita, "Wifi down in the library", "No wifi since nine.", "rita.png");
    const duplicate = await openWithFile(asOmar, "Library network", "Omar secret words here.", "omar.png");
    await asOmar.post(`/tickets/${duplicate}/replies`, { body: "Call me at 555-0101." });

    const ask = await merge(agent, duplicate, String(survivor), false);
    expect(ask.status).toBe(200);
    expect(section(ask.text, "related")).toContain("The other ticket has a different requester.");
    expect((await merge(agent, duplicate, String(survivor))).status).toBe(303);

    // Staff see everything on the survivor.
    const staffPage = await agent.get(`/tickets/${survivor}`);
    expect(staffPage.text).toContain("Omar secret words here.");
    expect(staffPage.text).toContain("Call me at 555-0101.");

    // Rita: her ticket as it was; nothing of Omar's (words, name, address, files, the merge's line).
    const ritaPage = await asRita.get(`/tickets/${survivor}`);
    expect(ritaPage.status).toBe(200);
    for (const secret of ["Omar", "555-0101", "omar@example.org", "omar.png", `#${duplicate}`])
      expect(ritaPage.text).not.toContain(secret);
    const omarFile = await t.db.attachment.findFirstOrThrow({ where: { name: "omar.png" } });
    expect(omarFile.ticketId).toBe(survivor);
    expect((await asRita.get(`/tickets/${survivor}/files/${omarFile.id}`)).status).toBe(404);
    expect((await asRita.get(`/tickets/${duplicate}`)).status).toBe(404);

    // Omar: his own page, read-only, with his words and file; nothing of Rita's; not the survivor.
    const omarPage = await asOmar.get(`/tickets/${duplicate}`);
    expect(omarPage.status).toBe(200);
    expect(omarPage.text).toContain("Omar secret words here.");
    expect(omarPage.text).toContain("Call me at 555-0101.");
    expect(omarPage.text).toContain("Le support a joint cette demande à une autre sur le même sujet");
    expect(omarPage.text).not.toContain("No wifi since nine.");
    expect(omarPage.text).not.toContain(`#${survivor}`);
    expect(omarPage.text).not.toContain('id="reply-form"');
    expect((await asOmar.get(`/tickets/${duplicate}/files/${omarFile.id}`)).status).toBe(200);
    expect((await asOmar.get(`/tickets/${survivor}`)).status).toBe(404);

    // Their data exports follow the same rule: each has their own words, none of the other's.
    const exported = async (b: Browser) => {
      const raw = await t.app.request("/account/export.zip", { headers: { Cookie: b.cookieHeader() } });
      const zip = unzipSync(new Uint8Array(await raw.arrayBuffer()));
      return { json: new TextDecoder().decode(zip["tickets.json"]), names: Object.keys(zip) };
    };
    const ritaData = await exported(asRita);
    expect(ritaData.json).toContain("No wifi since nine.");
    for (const secret of ["Omar", "555-0101", "omar.png"]) expect(ritaData.json).not.toContain(secret);
    const omarData = await exported(asOmar);
    expect(omarData.json).toContain("Call me at 555-0101.");
    expect(omarData.json).toContain("omar.png");
    expect(omarData.json).not.toContain("No wifi since nine.");
    expect(omarData.names.some((n) => n.endsWith("-omar.png"))).toBe(true);

    // Each is told in their language, and neither email carries the other's words or address.
    const omarMail = await t.db.outboxMessage.findFirstOrThrow({ where: { ticketId: duplicate, kind: "merged" } });
    expect(omarMail.toAddress).toBe("omar@example.org");
    expect(omarMail.text).toContain(`a joint votre demande #${duplicate} à une autre sur le même sujet`);
    const ritaMail = await t.db.outboxMessage.findFirstOrThrow({ where: { ticketId: survivor, kind: "mergedIn" } });
    expect(ritaMail.toAddress).toBe("rita@example.com");
    for (const words of ["No wifi since nine", "rita@example.com", "Rita"]) expect(omarMail.text).not.toContain(words);
    for (const words of ["555-0101", "secret words", "omar@example.org", "Omar"])
      expect(ritaMail.text).not.toContain(words);
  });

  it("mail to the merged number lands on the survivor, for staff only, and is not sent to the other requester", async () => {
    const survivor = await openWithFile(asRita, "Heating off", "Cold in room 4.");
    const duplicate = await openWithFile(asOmar, "Room 4 is cold", "Freezing here.");
    await t.db.ticket.update({ where: { id: survivor }, data: { assigneeId: agentUser.id } });
    expect((await merge(agent, duplicate, String(survivor))).status).toBe(303);
    const mail = eml({
      from: "Omar <omar@example.org>",
      to: replyAddress(t.config, duplicate, omar.id),
      subject: `Re: [#${duplicate}] Room 4 is cold`,
      body: "Still freezing at noon.",
    });
    expect(await receiveMail(t.deps, mail.raw)).toEqual({ outcome: "replied", ticketId: survivor });
    const reply = await t.db.reply.findFirstOrThrow({ where: { body: "Still freezing at noon." } });
    expect([reply.ticketId, reply.fromTicketId, reply.internal]).toEqual([survivor, duplicate, false]);
    expect((await agent.get(`/tickets/${survivor}`)).text).toContain("Still freezing at noon.");
    expect((await asRita.get(`/tickets/${survivor}`)).text).not.toContain("Still freezing");
    expect((await asOmar.get(`/tickets/${duplicate}`)).text).toContain("Still freezing at noon.");
    // The assignee hears of it; Rita does not.
    const sent = await t.db.outboxMessage.findMany({
      where: { ticketId: survivor, text: { contains: "Still freezing" } },
    });
    expect(sent.map((m) => [m.kind, m.toAddress])).toEqual([["requester_reply", agentUser.email]]);
  });

  it("mail from the same requester to the merged number reopens the survivor like any answer of theirs", async () => {
    const survivor = await openWithFile(asRita, "Scanner", "Scanner shows an error.");
    const duplicate = await openWithFile(asRita, "Scanner error", "Error E7 on the scanner.");
    expect((await merge(agent, duplicate, String(survivor))).status).toBe(303);
    await agent.post(`/tickets/${survivor}/close`, { version: await versionOf(survivor) });
    const mail = eml({
      from: "Rita <rita@example.com>",
      to: replyAddress(t.config, duplicate, rita.id),
      subject: `Re: [#${duplicate}] Scanner error`,
      body: "E7 is back.",
    });
    expect(await receiveMail(t.deps, mail.raw)).toEqual({ outcome: "replied", ticketId: survivor });
    expect((await t.db.ticket.findUniqueOrThrow({ where: { id: survivor } })).status).toBe("Open");
    expect((await asRita.get(`/tickets/${survivor}`)).text).toContain("E7 is back.");
  });
});

describe("bad merges and who may merge", () => {
  it("sends a missing, wrong or own number back by its box (422), a stale page 409, a requester 403", async () => {
    const id = await openWithFile(asRita, "Lonely ticket", "Nothing to merge with.");
    for (const [into, message] of [
      ["", "Enter a ticket number, such as 12."],
      ["twelve", "Enter a ticket number, such as 12."],
      [String(id), "A ticket cannot be merged into itself"],
      ["999999", "There is no ticket #999999."],
    ] as const) {
      const res = await merge(agent, id, into);
      expect(res.status, into).toBe(422);
      expect(res.text).toContain('aria-invalid="true"');
      expect(section(res.text, "related")).toContain(message);
    }
    const other = await openWithFile(asRita, "Another", "Something else.");
    const seen = await versionOf(id);
    await agent.post(`/tickets/${id}/replies`, { body: "Moves the version on." });
    const stale = await agent.post(`/tickets/${id}/merge`, { into: String(other), version: seen, confirm: "yes" });
    expect(stale.status).toBe(409);
    expect((await t.db.ticket.findUniqueOrThrow({ where: { id } })).mergedIntoId).toBeNull();
    const mine = await openWithFile(asRita, "Mine", "My own ticket.");
    const mine2 = await openWithFile(asRita, "Mine too", "My other ticket.");
    expect((await merge(asRita, mine, String(mine2))).status).toBe(403);
    expect((await t.db.ticket.findUniqueOrThrow({ where: { id: mine } })).mergedIntoId).toBeNull();
    // Someone else's ticket is not there for a requester at all.
    expect((await merge(asOmar, mine, String(mine2))).status).toBe(404);
  });

  it("two merges at once of two tickets into each other: one wins, the other changes nothing", async () => {
    const a = await openWithFile(asRita, "Race one", "First racer.");
    const b = await openWithFile(asRita, "Race two", "Second racer.");
    const results = await Promise.all([
      mergeTickets(t.deps, agentUser, a, b, { confirmed: true }),
      mergeTickets(t.deps, agentUser, b, a, { confirmed: true }),
    ]);
    // The second reads after the first committed (it leads on: "merged") or met it mid-way ("stale").
    expect(results.filter((r) => r.outcome === "done")).toHaveLength(1);
    expect(results.map((r) => r.outcome)).not.toContain("confirm");
    const rows = await t.db.ticket.findMany({ where: { id: { in: [a, b] } } });
    expect(rows.filter((r) => r.mergedIntoId !== null)).toHaveLength(1);
  });
});

describe("linking related tickets", () => {
  it("links both ways, once, shown to staff on both pages with a line in both histories; removable", async () => {
    const a = await openWithFile(asRita, "Projector in room 1", "No picture.");
    const b = await openWithFile(asOmar, "Projector in room 2", "No sound at all.");
    const linked = await agent.post(`/tickets/${a}/links`, { number: `#${b}` });
    expect(linked.status).toBe(303);
    expect(await t.db.ticketLink.count()).toBeGreaterThan(0);
    const again = await agent.post(`/tickets/${b}/links`, { number: String(a) }, { htmx: "partial" });
    expect(again.status).toBe(200);
    expect(again.text).toContain(`Already linked with #${a}.`);
    expect(await t.db.ticketLink.count({ where: { OR: [{ fromId: a }, { toId: a }] } })).toBe(1);
    for (const [here, there, subject] of [
      [a, b, "Projector in room 2"],
      [b, a, "Projector in room 1"],
    ] as const) {
      const page = await agent.get(`/tickets/${here}`);
      const related = section(page.text, "related");
      expect(related).toContain(`<a href="/tickets/${there}">#${there}</a>`);
      expect(related).toContain(subject);
      expect(section(page.text, "history")).toContain(
        `linked this ticket with <a href="/tickets/${there}">#${there}</a>`,
      );
    }
    // Requesters see neither the link nor its line.
    expect((await asRita.get(`/tickets/${a}`)).text).not.toContain(`#${b}`);
    // In place: the section and the history come back.
    const removed = await agent.post(`/tickets/${b}/links/${a}/delete`, {}, { htmx: "partial" });
    expect(removed.status).toBe(200);
    expect(removed.text).toMatch(/^<section id="related"/);
    expect(removed.text).toContain("No related tickets.");
    expect(removed.text).toContain(`The link to #${a} was removed.`);
    expect(await t.db.ticketLink.count({ where: { OR: [{ fromId: a }, { toId: a }] } })).toBe(0);
    expect((await agent.post(`/tickets/${b}/links/${a}/delete`)).status).toBe(404);
  });

  it("refuses a bad, missing or own number (422 by the box); requesters may not link (403)", async () => {
    const a = await openWithFile(asRita, "Link errors", "Testing the box.");
    for (const [number, message] of [
      ["", "Enter a ticket number"],
      [String(a), "That is this ticket"],
      ["999998", "There is no ticket #999998."],
    ] as const) {
      const res = await agent.post(`/tickets/${a}/links`, { number });
      expect(res.status, number).toBe(422);
      expect(section(res.text, "related")).toContain(message);
      const partial = await agent.post(`/tickets/${a}/links`, { number }, { htmx: "partial" });
      expect(partial.status).toBe(422);
      expect(partial.text).toMatch(/^<section id="related"/);
    }
    const b = await openWithFile(asRita, "Link target", "Another one.");
    expect((await asRita.post(`/tickets/${a}/links`, { number: String(b) })).status).toBe(403);
    expect((await asRita.post(`/tickets/${a}/links/${b}/delete`)).status).toBe(403);
    expect(await t.db.ticketLink.count({ where: { fromId: a } })).toBe(0);
  });
});
