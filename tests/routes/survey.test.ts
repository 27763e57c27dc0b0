import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CurrentUser } from "../../src/env.js";
import { Browser, browserAs, createUser, section, type TestApp, testApp } from "../helpers/app.js";

// "How did we do?" (#27): the closing email's two links, a page without sign-in that records only
// on its button (a scanner's GET never does), one answer per closure changeable for 7 days, links
// signed for one ticket's one closure; the dashboard's score and comments, the answer on the
// ticket for staff; admins turn it off.

let t: TestApp;
let agentUser: CurrentUser, rita: CurrentUser;
let agent: Browser, asRita: Browser, admin: Browser;
const DAY = 86_400_000;

const open = async (subject: string) =>
  (
    await t.db.ticket.create({
      data: { subject, description: "Private details of the problem.", requesterId: rita.id },
    })
  ).id;
const versionOf = async (id: number) => String((await t.db.ticket.findUniqueOrThrow({ where: { id } })).version);
const close = async (id: number) => {
  const res = await agent.post(`/tickets/${id}/close`, { version: await versionOf(id) });
  expect(res.status).toBe(303);
};
/** The survey links of the latest email about a ticket: the path of each answer. */
async function linksOf(id: number) {
  const mail = await t.db.outboxMessage.findFirstOrThrow({ where: { ticketId: id }, orderBy: { id: "desc" } });
  const url = (rating: string) => mail.text.match(new RegExp(`https?://\\S+(/survey/\\S+\\?rating=${rating})`))?.[1];
  return { mail, good: url("good"), bad: url("bad") };
}
/** Someone without an account or a session, as a mail scanner or the requester's phone. */
const stranger = () => new Browser(t);
const answer = (b: Browser, link: string, form: Record<string, string>) => b.post(link.split("?")[0]!, form);

beforeAll(async () => {
  t = await testApp({ MAIL_FROM: "Desk <support@desk.example>" });
  agentUser = await createUser(t.db, { role: "agent", name: "Alex Agent" });
  rita = await createUser(t.db, { name: "Rita Requester", email: "rita@example.com" });
  agent = await browserAs(t, agentUser);
  asRita = await browserAs(t, rita);
  admin = await browserAs(t, await createUser(t.db, { role: "admin" }));
});
afterAll(() => t.close());

describe("the closing email and its page", () => {
  it("asks with two links; a GET shows the choice and records nothing; the button does, once per closure", async () => {
    const id = await open("Printer jams");
    await close(id);
    const { mail, good, bad } = await linksOf(id);
    expect(mail.kind).toBe("closed");
    expect(mail.text).toContain("How did we do?");
    expect(good).toBeDefined();
    expect(bad).toBeDefined();
    expect(mail.html).toContain(`>Not good</a>`);

    // A scanner (or the person) opening the link: the page, the choice made, nothing recorded.
    const scanner = stranger();
    const page = await scanner.get(good!);
    expect(page.status).toBe(200);
    expect(page.headers.get("Cache-Control")).toBe("no-store");
    expect(page.text).toMatch(/id="rating-good"[^>]*checked/);
    expect(page.text).not.toMatch(/id="rating-bad"[^>]*checked/);
    expect(section(page.text, "survey")).toContain(`#${id}`);
    expect(section(page.text, "survey")).toContain("Printer jams");
    for (const hidden of ["Private details", "Rita", "rita@example.com", "Alex"])
      expect(section(page.text, "survey")).not.toContain(hidden);
    expect(await t.db.surveyAnswer.count({ where: { ticketId: id } })).toBe(0);

    const sent = await answer(scanner, good!, { rating: "good", comment: "Quick and kind." });
    expect(sent.status).toBe(200);
    expect(sent.text).toContain("Thank you for your answer");
    // The same answer again (a replay, a double click) and a change: still one answer, the last one.
    await answer(scanner, good!, { rating: "good", comment: "Quick and kind." });
    const changed = await answer(stranger(), bad!, { rating: "bad", comment: "Took two days." });
    expect(changed.status).toBe(200);
    const rows = await t.db.surveyAnswer.findMany({ where: { ticketId: id } });
    expect(rows.map((r) => [r.rating, r.comment])).toEqual([["bad", "Took two days."]]);

    // After 7 days from the first answer it stands: 409, unchanged. (The answer is made older: the
    // clock moved on 8 days would end every session of this file.)
    const eightDaysAgo = new Date(t.clock.now().getTime() - 8 * DAY);
    await t.db.surveyAnswer.updateMany({ where: { ticketId: id }, data: { answeredAt: eightDaysAgo } });
    const late = await answer(stranger(), good!, { rating: "good" });
    expect(late.status).toBe(409);
    expect(late.text).toContain("It can no longer be changed.");
    expect((await t.db.surveyAnswer.findFirstOrThrow({ where: { ticketId: id } })).rating).toBe("bad");
  });

  it("refuses a link not signed here, another ticket's, an old closure and a merged ticket's", async () => {
    const id = await open("Badge reader");
    const other = await open("Door bell");
    await close(id);
    const { good } = await linksOf(id);
    const token = good!.split("/survey/")[1]!.split("?")[0]!;
    // Another ticket's number with this signature, a cut link, nonsense.
    const forged = token.replace(/^\d+-/, `${other}-`);
    for (const bad of [forged, token.slice(0, -3), "nonsense", `${token}x`]) {
      const res = await stranger().get(`/survey/${bad}?rating=good`);
      expect(res.status, bad).toBe(404);
      expect((await answer(stranger(), `/survey/${bad}`, { rating: "good" })).status).toBe(404);
    }
    // Reopened: that closure's survey is over (410); closed again, the new email's link works.
    t.clock.advance(60_000);
    await agent.post(`/tickets/${id}/reopen`, { version: await versionOf(id) });
    expect((await stranger().get(good!)).status).toBe(410);
    expect((await answer(stranger(), good!, { rating: "good" })).status).toBe(410);
    t.clock.advance(60_000);
    await close(id);
    const again = await linksOf(id);
    expect(again.good).not.toBe(good);
    expect((await answer(stranger(), again.good!, { rating: "good" })).status).toBe(200);
    expect(await t.db.surveyAnswer.count({ where: { ticketId: id } })).toBe(1);
    // A closure that was a merge asks nothing, and a link of the ticket before it is over.
    const survivor = await open("Survivor");
    const merged = await t.db.outboxMessage.count({ where: { ticketId: id, kind: "merged" } });
    await agent.post(`/tickets/${id}/reopen`, { version: await versionOf(id) });
    t.clock.advance(60_000);
    await close(id);
    const before = await linksOf(id);
    await agent.post(`/tickets/${id}/reopen`, { version: await versionOf(id) });
    await agent.post(`/tickets/${id}/merge`, { into: String(survivor), version: await versionOf(id), confirm: "yes" });
    expect(await t.db.outboxMessage.count({ where: { ticketId: id, kind: "merged" } })).toBe(merged + 1);
    expect((await linksOf(id)).good).toBeUndefined();
    expect((await stranger().get(before.good!)).status).toBe(410);
  });

  it("sends a form without a choice, or too long a comment, back with the message by it (422)", async () => {
    const id = await open("Scanner");
    await close(id);
    const { good } = await linksOf(id);
    const none = await answer(stranger(), good!, { comment: "kept text" });
    expect(none.status).toBe(422);
    expect(none.text).toContain("Choose Good or Not good.");
    expect(none.text).toContain("kept text");
    const long = await answer(stranger(), good!, { rating: "good", comment: "x".repeat(1001) });
    expect(long.status).toBe(422);
    expect(long.text).toContain("At most 1000 characters.");
    expect(long.text).toMatch(/id="rating-good"[^>]*checked/);
    expect(await t.db.surveyAnswer.count({ where: { ticketId: id } })).toBe(0);
  });
});

describe("what the desk sees, and turning it off", () => {
  it("staff see the answer on the ticket and the score with comments on the dashboard; requesters do not", async () => {
    const id = await open("Wifi in the library");
    await close(id);
    const { good } = await linksOf(id);
    await answer(stranger(), good!, { rating: "good", comment: "Fixed in minutes, thank you" });
    const page = await agent.get(`/tickets/${id}`);
    expect(section(page.text, "satisfaction")).toContain("Satisfaction:");
    expect(section(page.text, "satisfaction")).toContain("Fixed in minutes, thank you");
    expect((await asRita.get(`/tickets/${id}`)).text).not.toContain('id="satisfaction"');
    const dash = await agent.get("/dashboard");
    expect(dash.text).toMatch(/Last 7 days: <strong>\d+ % good \(\d+ of \d+ answers?\)<\/strong>/);
    expect(dash.text).toContain(`<a href="/tickets/${id}">`);
    expect(dash.text).toContain("Fixed in minutes, thank you");
  });

  it("a reply that closes asks too; a requester closing their own ticket gets no email", async () => {
    const id = await open("Projector");
    await agent.post(`/tickets/${id}/replies`, { body: "Replaced the bulb.", set_status: "Closed" });
    const { mail, good } = await linksOf(id);
    expect(mail.kind).toBe("reply");
    expect(good).toBeDefined();
    const own = await open("Own close");
    const before = await t.db.outboxMessage.count({ where: { ticketId: own } });
    await asRita.post(`/tickets/${own}/close`, { version: await versionOf(own) });
    expect(await t.db.outboxMessage.count({ where: { ticketId: own } })).toBe(before);
  });

  it("admins turn it off and on at /admin/mail; agents may not; closing emails then ask nothing", async () => {
    expect((await agent.post("/admin/mail/survey", { survey: "off" })).status).toBe(403);
    expect((await admin.post("/admin/mail/survey", { survey: "maybe" })).status).toBe(422);
    const off = await admin.post("/admin/mail/survey", { survey: "off" });
    expect(off.status).toBe(303);
    expect((await admin.get("/admin/mail")).text).toContain("Off: closing emails ask nothing.");
    const id = await open("Heating");
    await close(id);
    const { mail, good } = await linksOf(id);
    expect(mail.kind).toBe("closed");
    expect(good).toBeUndefined();
    expect((await agent.get("/dashboard")).text).not.toContain("<h2>Satisfaction</h2>");
    const on = await admin.post("/admin/mail/survey", { survey: "on" }, { htmx: "partial" });
    expect(on.status).toBe(200);
    expect(on.text).toContain("Closing emails ask “How did we do?” again.");
  });
});
