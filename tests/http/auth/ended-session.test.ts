import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CurrentUser } from "../../../src/env.js";
import { Browser, browserAs, createUser, PASSWORD, type TestApp, testApp } from "../../helpers/app.js";

// A kiosk's idle timeout ends the session while someone is still typing. Their form is refused
// (nothing is done), but what they typed is theirs again after they sign in.

let t: TestApp;
let kim: CurrentUser;
beforeAll(async () => {
  t = await testApp({ KIOSK_MODE: "true" });
  kim = await createUser(t.db, { name: "Kim Kiosk" });
});
afterAll(() => t.close());

const ticketForm = {
  subject: "Card reader rejects my card",
  description: "It beeps twice and says card unreadable.\nSecond line.",
  priority: "High",
};
const nextOf = (html: string) => html.match(/name="next" value="([^"]+)"/)?.[1]?.replaceAll("&amp;", "&");

/** Kim, on the page `path`, then away longer than the kiosk's idle timeout. */
async function kimAway(path: string) {
  const b = await browserAs(t, kim);
  expect((await b.get(path)).status).toBe(200);
  t.clock.advance(t.config.sessionIdleMs + 60_000);
  return b;
}

async function signInTo(b: Browser, next: string, user = kim) {
  await b.get(`/login?next=${encodeURIComponent(next)}`);
  const res = await b.post("/login", { email: user.email, password: PASSWORD, next });
  expect(res.status).toBe(303);
  return b.get(res.location!);
}

describe("a form sent after the session ended", () => {
  it("opens no ticket, asks to sign in, and gives the ticket form back filled in", async () => {
    const b = await kimAway("/tickets/new");
    const refused = await b.post("/tickets", ticketForm);
    expect(refused.status).toBe(401);
    expect(refused.text).toContain("You were signed out while you were away, so this was not sent yet.");
    expect(refused.text).toMatch(/<h1>Sign in<\/h1>/);
    expect(await t.db.ticket.count({ where: { subject: ticketForm.subject } })).toBe(0);
    const next = nextOf(refused.text)!;
    expect(next).toMatch(/^\/tickets\/new\?draft=[0-9a-f-]{36}$/);

    const form = await signInTo(b, next);
    expect(form.text).toContain(`value="${ticketForm.subject}"`);
    expect(form.text).toContain("It beeps twice and says card unreadable.\nSecond line.</textarea>");
    expect(form.text).toMatch(/<option value="High" selected="">/);
    expect(form.text).toContain("Here is what you wrote before you were signed out.");
    // Given back once: the draft is gone from the database.
    expect(await t.db.draft.count({ where: { userId: kim.id } })).toBe(0);
    expect((await b.get(next)).text).not.toContain(ticketForm.subject);
  });

  it("gives a reply back in the reply box of the same ticket", async () => {
    const ticket = await t.db.ticket.create({
      data: { subject: "Printer", description: "Jammed again today.", requesterId: kim.id },
    });
    const b = await kimAway(`/tickets/${ticket.id}`);
    const refused = await b.post(`/tickets/${ticket.id}/replies`, { body: "Still jammed after the restart." });
    expect(refused.status).toBe(401);
    expect(await t.db.reply.count({ where: { ticketId: ticket.id } })).toBe(0);
    const page = await signInTo(b, nextOf(refused.text)!);
    expect(page.text).toMatch(/<textarea[^>]*name="body"[^>]*>Still jammed after the restart.<\/textarea>/);
  });

  it("keeps nothing for a button without text, and still brings the person back to the ticket", async () => {
    const ticket = await t.db.ticket.create({
      data: { subject: "Screen", description: "Flickers all day.", requesterId: kim.id },
    });
    const b = await kimAway(`/tickets/${ticket.id}`);
    const before = await t.db.draft.count();
    const refused = await b.post(`/tickets/${ticket.id}/close`, { version: "1" });
    expect(refused.status).toBe(401);
    expect(refused.text).toContain("so that was not done. Sign in and try again.");
    expect(nextOf(refused.text)).toBe(`/tickets/${ticket.id}`);
    expect(await t.db.draft.count()).toBe(before);
    expect((await t.db.ticket.findUniqueOrThrow({ where: { id: ticket.id } })).status).toBe("Open");
  });

  it("answers an in-place form with the sign-in form in the page's main area", async () => {
    const b = await kimAway("/tickets/new");
    const refused = await b.post("/tickets", ticketForm, { htmx: "partial" });
    expect(refused.status).toBe(401);
    expect(refused.headers.get("HX-Retarget")).toBe("#main");
    expect(refused.headers.get("HX-Reswap")).toBe("innerHTML");
    expect(refused.text).not.toContain("<html");
    expect(nextOf(refused.text)).toMatch(/^\/tickets\/new\?draft=/);
  });

  it("shows a draft to nobody else, and not after a day", async () => {
    const b = await kimAway("/tickets/new");
    const next = nextOf((await b.post("/tickets", ticketForm)).text)!;
    const pat = await createUser(t.db, { name: "Pat Other" });
    const other = await signInTo(new Browser(t), next, pat);
    expect(other.status).toBe(200);
    expect(other.text).not.toContain(ticketForm.subject);
    expect(await t.db.draft.count({ where: { id: next.split("draft=")[1] } })).toBe(1);
    t.clock.advance(25 * 3_600_000);
    const late = await signInTo(new Browser(t), next);
    expect(late.text).not.toContain(ticketForm.subject);
  });

  it("keeps nothing from a form that does not carry that session's token", async () => {
    const b = await kimAway("/tickets/new");
    const before = await t.db.draft.count();
    const forged = await b.post("/tickets", { ...ticketForm, _csrf: "x".repeat(43) });
    expect(forged.status).toBe(403);
    expect(forged.text).toContain("This form has expired");
    // No session at all: the plain way to the sign-in page, nothing kept.
    const anonymous = await new Browser(t).post("/tickets", ticketForm);
    expect(anonymous.location).toBe("/login?next=%2Ftickets");
    expect(await t.db.draft.count()).toBe(before);
  });
});

describe("limits on drafts", () => {
  it("keeps nothing after the person signed out on purpose", async () => {
    const b = await browserAs(t, kim);
    await b.get("/tickets/new");
    const token = b.csrf!;
    const session = b.cookies.get("hyperdesk_session")!;
    expect((await b.post("/logout", {})).status).toBe(303);
    // The old page's form, sent with the old cookie replayed: refused, and nothing kept.
    b.cookies.set("hyperdesk_session", session);
    const before = await t.db.draft.count();
    const refused = await b.post("/tickets", { ...ticketForm, _csrf: token });
    expect(refused.status).toBe(403);
    expect(await t.db.draft.count()).toBe(before);
  });

  it("keeps the newest five per person", async () => {
    await t.db.draft.deleteMany({ where: { userId: kim.id } });
    for (let i = 0; i < 8; i++) {
      const b = await kimAway("/tickets/new");
      expect((await b.post("/tickets", { ...ticketForm, subject: `Draft number ${i}` })).status).toBe(401);
    }
    const kept = await t.db.draft.findMany({ where: { userId: kim.id }, orderBy: { createdAt: "asc" } });
    expect(kept.map((d) => JSON.parse(d.fields).subject)).toEqual([3, 4, 5, 6, 7].map((i) => `Draft number ${i}`));
  });
});
