import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CurrentUser } from "../../src/env.js";
import { normaliseTag, TAGS_PER_TICKET } from "../../src/tags/tags.js";
import { openTicket } from "../../src/tickets/open.js";
import { type Browser, browserAs, createUser, section, type TestApp, testApp } from "../helpers/app.js";

// Tags: agents put them on tickets and take them off (each a POST to a small resource, a line in the
// history staff alone see), the queue shows them and filters by them (several: all of them), admins
// rename and merge them. Requesters reach none of it.

let t: TestApp;
let agentUser: CurrentUser, requesterUser: CurrentUser;
let agent: Browser, requester: Browser, admin: Browser;
const open = async (subject: string) =>
  (await openTicket(t.deps, requesterUser, { subject, description: "At the kiosk.", priority: "Medium" }, undefined))
    .id;
const tagsOn = async (id: number) =>
  (await t.db.ticketTag.findMany({ where: { ticketId: id }, select: { tag: { select: { name: true } } } }))
    .map((r) => r.tag.name)
    .sort();
const queueIds = async (query: string) =>
  [...(await agent.get(`/queue?${query}`)).text.matchAll(/<td>#(\d+)<\/td>/g)].map((m) => Number(m[1]));

beforeAll(async () => {
  t = await testApp();
  agentUser = await createUser(t.db, { role: "agent", name: "Alex Agent" });
  requesterUser = await createUser(t.db, { name: "Rita Requester" });
  agent = await browserAs(t, agentUser);
  requester = await browserAs(t, requesterUser);
  admin = await browserAs(t, await createUser(t.db, { role: "admin" }));
});
afterAll(() => t.close());

describe("a tag's one spelling", () => {
  it("is lower case with single spaces; empty, too long or odd characters are refused", () => {
    expect(normaliseTag("  Floor   2 ")).toEqual({ name: "floor 2" });
    expect(normaliseTag("PRINTER")).toEqual({ name: "printer" });
    expect(normaliseTag("Ünïcödé-tag_1.0")).toEqual({ name: "ünïcödé-tag_1.0" });
    expect(normaliseTag("   ")).toEqual({ error: "tags.missing" });
    expect(normaliseTag("x".repeat(31))).toEqual({ error: "tags.long" });
    expect(normaliseTag("<b>")).toEqual({ error: "tags.chars" });
    expect(normaliseTag("-dash first")).toEqual({ error: "tags.chars" });
  });
});

describe("tags on a ticket", () => {
  it("an agent adds and removes them, each in the history for staff only; the same tag twice is one", async () => {
    const id = await open("Printer jams");
    const added = await agent.post(`/tickets/${id}/tags`, { name: " Printer " });
    expect(added.status).toBe(303);
    expect(await tagsOn(id)).toEqual(["printer"]);
    const again = await agent.post(`/tickets/${id}/tags`, { name: "PRINTER" }, { htmx: "partial" });
    expect(again.status).toBe(200);
    expect(again.text).toContain("It already has that tag.");
    const partial = await agent.post(`/tickets/${id}/tags`, { name: "floor 2" }, { htmx: "partial" });
    expect(partial.text).toMatch(/^<div id="ticket-state"/);
    expect(section(partial.text, "ticket-state")).toContain('<span class="badge tag">floor 2</span>');
    const page = await agent.get(`/tickets/${id}`);
    expect(section(page.text, "history")).toContain("tagged it “printer”");
    expect(page.text).toContain('<datalist id="tag-names"><option value="floor 2"></option><option value="printer">');
    const own = await requester.get(`/tickets/${id}`);
    expect(own.text).not.toContain("printer");
    const tagId = (await t.db.tag.findUniqueOrThrow({ where: { name: "printer" } })).id;
    expect((await agent.post(`/tickets/${id}/tags/${tagId}/delete`)).status).toBe(303);
    expect(await tagsOn(id)).toEqual(["floor 2"]);
    expect(section((await agent.get(`/tickets/${id}`)).text, "history")).toContain("removed the tag “printer”");
    // A tag the ticket does not have, or none at all.
    expect((await agent.post(`/tickets/${id}/tags/${tagId}/delete`)).status).toBe(404);
    expect((await agent.post(`/tickets/${id}/tags/999999/delete`)).status).toBe(404);
  });

  it("refuses what cannot be a tag and an eleventh tag with 422, the ticket as it was", async () => {
    const id = await open("Many tags");
    const bad = await agent.post(`/tickets/${id}/tags`, { name: "<script>" });
    expect(bad.status).toBe(422);
    expect(bad.text).toContain("A tag starts with a letter or a number");
    for (let i = 0; i < TAGS_PER_TICKET; i++) await agent.post(`/tickets/${id}/tags`, { name: `tag ${i}` });
    const full = await agent.post(`/tickets/${id}/tags`, { name: "one more" });
    expect(full.status).toBe(422);
    expect(full.text).toContain("A ticket holds at most 10 tags");
    expect((await tagsOn(id)).length).toBe(TAGS_PER_TICKET);
  });

  it("is for staff only: a requester gets 403 on their own ticket, and 404 on another's", async () => {
    const id = await open("Mine");
    expect((await requester.post(`/tickets/${id}/tags`, { name: "mine" })).status).toBe(403);
    const stranger = await browserAs(t, await createUser(t.db));
    expect((await stranger.post(`/tickets/${id}/tags`, { name: "x" })).status).toBe(404);
    expect(await tagsOn(id)).toEqual([]);
  });
});

describe("tags in the queue", () => {
  it("are shown on each row, and several filter as all of them", async () => {
    const both = await open("Both tags");
    const one = await open("One tag");
    await agent.post(`/tickets/${both}/tags`, { name: "wifi" });
    await agent.post(`/tickets/${both}/tags`, { name: "library" });
    await agent.post(`/tickets/${one}/tags`, { name: "wifi" });
    expect(await queueIds("tag=wifi")).toEqual([one, both]);
    expect(await queueIds("tag=WiFi,%20Library")).toEqual([both]);
    expect(await queueIds("tag=nobody-has-this")).toEqual([]);
    // What cannot be a tag is no filter at all.
    expect((await queueIds("tag=%3Cb%3E")).length).toBeGreaterThan(2);
    const queue = await agent.get("/queue?tag=wifi");
    expect(queue.text).toContain('<span class="badge tag">library</span>');
    expect(queue.text).toContain('value="wifi"');
  });
});

describe("/admin/tags", () => {
  it("renames a tag, merges it into another by giving it that name, and is for admins only", async () => {
    const a = await open("Rename me");
    const b = await open("Merge me");
    await agent.post(`/tickets/${a}/tags`, { name: "prnter" });
    await agent.post(`/tickets/${b}/tags`, { name: "prnter" });
    await agent.post(`/tickets/${b}/tags`, { name: "printers" });
    const typo = (await t.db.tag.findUniqueOrThrow({ where: { name: "prnter" } })).id;
    expect((await agent.get("/admin/tags")).status).toBe(403);
    expect((await agent.post(`/admin/tags/${typo}`, { name: "x" })).status).toBe(403);
    const list = await admin.get("/admin/tags");
    expect(list.text).toContain("on 2 tickets");
    const bad = await admin.post(`/admin/tags/${typo}`, { name: "!!" });
    expect(bad.status).toBe(422);
    expect(section(bad.text, `tag-${typo}-error`)).toContain("A tag starts with a letter");
    expect((await admin.post(`/admin/tags/${typo}`, { name: "Printers" })).status).toBe(303);
    expect((await admin.get("/admin/tags")).text).toContain("Merged “prnter” into “printers”.");
    expect(await tagsOn(a)).toEqual(["printers"]);
    expect(await tagsOn(b)).toEqual(["printers"]);
    const merged = (await t.db.tag.findUniqueOrThrow({ where: { name: "printers" } })).id;
    expect((await admin.post(`/admin/tags/${merged}`, { name: "printer hardware" })).status).toBe(303);
    expect(await tagsOn(a)).toEqual(["printer hardware"]);
    expect((await admin.post(`/admin/tags/${typo}`, { name: "gone" })).status).toBe(404);
  });
});
