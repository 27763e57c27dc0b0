import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dashboardFigures } from "../../../src/dashboard/figures.js";
import type { CurrentUser } from "../../../src/env.js";
import { openTicket } from "../../../src/tickets/open.js";
import { normaliseStatusName, statusesOf } from "../../../src/tickets/statuses.js";
import { type Browser, browserAs, createUser, fieldValue, section, type TestApp, testApp } from "../../helpers/app.js";

// The desk's own statuses: admins add, rename and remove them on /admin/statuses; each works as
// its kind everywhere: the triage form and the queue's tabs and filters offer it, a waiting one
// stops the service clock and mails "we wait on you", a closed one closes (closedAt, Reopen, "Not
// closed" leaves it out), a requester's reply moves a waiting or closed one back to the desk.

let t: TestApp;
let requesterUser: CurrentUser;
let admin: Browser, agent: Browser, requester: Browser;

const open = async (subject: string) =>
  (await openTicket(t.deps, requesterUser, { subject, description: "At the kiosk.", priority: "High" }, undefined)).id;
const ticket = (id: number) => t.db.ticket.findUniqueOrThrow({ where: { id } });
/** The agent's triage form, as the page has it, with the status changed. */
async function setStatus(id: number, status: string) {
  const page = (await agent.get(`/tickets/${id}`)).text;
  const version = page.match(/name="version" value="(\d+)"/)![1]!;
  return agent.post(`/tickets/${id}/triage`, { status, priority: "High", assignee: "", version });
}
const queueIds = async (query: string) =>
  [...(await agent.get(`/queue?${query}`)).text.matchAll(/<td>#(\d+)<\/td>/g)].map((m) => Number(m[1]));
const statusId = async (name: string) => (await t.db.ticketStatus.findUniqueOrThrow({ where: { name } })).id;

beforeAll(async () => {
  t = await testApp();
  requesterUser = await createUser(t.db, { name: "Rita Requester" });
  admin = await browserAs(t, await createUser(t.db, { role: "admin", name: "Ada Admin" }));
  agent = await browserAs(t, await createUser(t.db, { role: "agent", name: "Alex Agent" }));
  requester = await browserAs(t, requesterUser);
});
afterAll(() => t.close());

describe("a status's name", () => {
  it("is trimmed to single spaces; empty, too long or markup is refused", () => {
    expect(normaliseStatusName("  Waiting   for parts ")).toEqual({ name: "Waiting for parts" });
    expect(normaliseStatusName("Escalated (tier 2)")).toEqual({ name: "Escalated (tier 2)" });
    expect(normaliseStatusName("بانتظار القطع")).toEqual({ name: "بانتظار القطع" });
    expect(normaliseStatusName(" ")).toEqual({ error: "statuses.missing" });
    expect(normaliseStatusName("x".repeat(41))).toEqual({ error: "statuses.long" });
    expect(normaliseStatusName("<b>")).toEqual({ error: "statuses.chars" });
  });
});

describe("/admin/statuses", () => {
  it("is for admins: agents and requesters are refused, nothing added", async () => {
    expect((await agent.get("/admin/statuses")).status).toBe(403);
    expect((await requester.get("/admin/statuses")).status).toBe(403);
    expect((await agent.post("/admin/statuses", { name: "Sneaky", kind: "open" })).status).toBe(403);
    expect(await t.db.ticketStatus.count()).toBe(0);
    const page = await admin.get("/admin/statuses");
    expect(page.status).toBe(200);
    expect(page.text).toContain("<title>Statuses · Hyperdesk</title>");
    for (const name of ["Open", "In progress", "Waiting", "Closed"]) expect(page.text).toContain(`>${name}</span>`);
    // The four built in have no rename or remove.
    expect(page.text).not.toContain("/admin/statuses/null");
  });

  it("adds statuses; a bad, taken or kindless one comes back with its message next to the field (422)", async () => {
    const empty = await admin.post("/admin/statuses", { name: " ", kind: "waiting" });
    expect(empty.status).toBe(422);
    expect(section(empty.text, "add-status")).toContain("Enter a name for the status.");
    const taken = await admin.post("/admin/statuses", { name: "waiting", kind: "waiting" });
    expect(taken.status).toBe(422);
    expect(section(taken.text, "add-status")).toContain("There is a status with this name already.");
    expect(fieldValue(taken.text, "status-name")).toBe("waiting");
    const reserved = await admin.post("/admin/statuses", { name: "Active", kind: "open" });
    expect(reserved.status).toBe(422);
    const kindless = await admin.post("/admin/statuses", { name: "Escalated", kind: "urgent" });
    expect(kindless.status).toBe(422);
    expect(section(kindless.text, "add-status")).toContain("Choose what the status works as.");
    expect(await t.db.ticketStatus.count()).toBe(0);

    const added = await admin.post("/admin/statuses", { name: "Waiting for parts", kind: "waiting" });
    expect(added.status).toBe(303);
    expect((await admin.get("/admin/statuses")).text).toContain("Added the status “Waiting for parts”.");
    const inPlace = await admin.post("/admin/statuses", { name: "Resolved", kind: "closed" }, { htmx: "partial" });
    expect(inPlace.status).toBe(204);
    await admin.post("/admin/statuses", { name: "Escalated", kind: "progress" });
    expect((await statusesOf(t.deps)).names()).toEqual([
      "Open",
      "In progress",
      "Escalated",
      "Waiting",
      "Waiting for parts",
      "Closed",
      "Resolved",
    ]);
  });
});

describe("a status of the waiting kind", () => {
  it("is offered to agents, stops the clock, mails 'we wait on you', and the requester's reply hands it back", async () => {
    const id = await open("Needs a part");
    const page = (await agent.get(`/tickets/${id}`)).text;
    expect(page).toContain('<option value="Waiting for parts">Waiting for parts</option>');
    expect((await ticket(id)).nextDueAt).not.toBeNull();
    expect((await setStatus(id, "Waiting for parts")).status).toBe(303);
    const waiting = await ticket(id);
    expect(waiting.status).toBe("Waiting for parts");
    expect(waiting.slaPausedAt).not.toBeNull();
    expect(waiting.nextDueAt).toBeNull();
    expect(await t.db.outboxMessage.count({ where: { ticketId: id, kind: "waiting" } })).toBe(1);
    // Shown as written (it is the desk's word), with the colour cue of Waiting.
    expect((await requester.get(`/tickets/${id}`)).text).toContain(
      '<span class="badge s-Waiting">Waiting for parts</span>',
    );
    // Waiting to another waiting status is no news to mail.
    await setStatus(id, "Waiting");
    await setStatus(id, "Waiting for parts");
    expect(await t.db.outboxMessage.count({ where: { ticketId: id, kind: "waiting" } })).toBe(1);

    expect((await requester.post(`/tickets/${id}/replies`, { body: "The part came." })).status).toBe(303);
    const back = await ticket(id);
    expect(back.status).toBe("Open");
    expect(back.slaPausedAt).toBeNull();
    expect(back.nextDueAt).not.toBeNull();
  });

  it("an unknown status is refused by the triage form with 422, the ticket as it was", async () => {
    const id = await open("Unknown status");
    const refused = await setStatus(id, "Gone fishing");
    expect(refused.status).toBe(422);
    expect(refused.text).toContain("Choose a status");
    expect((await ticket(id)).status).toBe("Open");
  });
});

describe("a status of the closed kind", () => {
  it("closes: closedAt, Reopen, out of 'Not closed' and 'Needs reply', counted in its tab; a reply reopens", async () => {
    const id = await open("Fixed by itself");
    const other = await open("Still open");
    expect((await setStatus(id, "Resolved")).status).toBe(303);
    const resolved = await ticket(id);
    expect(resolved.closedAt).not.toBeNull();
    expect(resolved.nextDueAt).toBeNull();
    expect(await t.db.outboxMessage.count({ where: { ticketId: id, kind: "closed" } })).toBe(1);
    const page = (await requester.get(`/tickets/${id}`)).text;
    expect(section(page, "ticket-closure")).toContain("Reopen");
    expect(await queueIds("status=active")).toContain(other);
    expect(await queueIds("status=active")).not.toContain(id);
    expect(await queueIds("reply=needed")).not.toContain(id);
    expect(await queueIds("status=Resolved")).toEqual([id]);
    const queue = (await agent.get("/queue")).text;
    expect(section(queue, "status-counts")).toContain('href="/queue?status=Resolved"');
    expect(section(queue, "status-counts")).toMatch(/Resolved: 1</);
    // The dashboard's open work leaves it out too.
    const figures = await dashboardFigures(t.deps);
    const notClosed = await t.db.ticket.count({ where: { status: { notIn: ["Closed", "Resolved"] } } });
    expect(figures.openByPriority.High).toBe(notClosed);

    // The requester's reply opens it again; Close from the page closes it into Closed.
    expect((await requester.post(`/tickets/${id}/replies`, { body: "It broke again." })).status).toBe(303);
    expect((await ticket(id)).status).toBe("Open");
    expect((await ticket(id)).closedAt).toBeNull();
  });
});

describe("renaming and removing", () => {
  it("a rename follows on every ticket, keeping their updated time and version", async () => {
    const id = await open("Rename me");
    await setStatus(id, "Escalated");
    const before = await ticket(id);
    const sid = await statusId("Escalated");
    const taken = await admin.post(`/admin/statuses/${sid}`, { name: "Closed" });
    expect(taken.status).toBe(422);
    expect(section(taken.text, `rename-${sid}`)).toContain("There is a status with this name already.");
    const renamed = await admin.post(`/admin/statuses/${sid}`, { name: "Tier 2" });
    expect(renamed.status).toBe(303);
    const after = await ticket(id);
    expect(after.status).toBe("Tier 2");
    expect(after.updatedAt).toEqual(before.updatedAt);
    expect(after.version).toBe(before.version);
    expect(await queueIds("status=Tier 2")).toEqual([id]);
    expect((await agent.get(`/tickets/${id}`)).text).toContain('<option value="Tier 2" selected="">Tier 2</option>');
    expect((await admin.post("/admin/statuses/999999", { name: "Nope" })).status).toBe(404);
  });

  it("a status in use is not removed (409, how many); unused it goes; the four cannot be named", async () => {
    const sid = await statusId("Tier 2");
    const inUse = await admin.post(`/admin/statuses/${sid}/delete`);
    expect(inUse.status).toBe(409);
    expect(inUse.text).toContain("“Tier 2” is the status of 1 ticket: give it another status first, or rename it.");
    expect(await t.db.ticketStatus.count({ where: { id: sid } })).toBe(1);
    const unused = await statusId("Resolved");
    expect(await t.db.ticket.count({ where: { status: "Resolved" } })).toBe(0);
    expect((await admin.post(`/admin/statuses/${unused}/delete`)).status).toBe(303);
    expect((await statusesOf(t.deps)).has("Resolved")).toBe(false);
    expect((await admin.post("/admin/statuses/999999/delete")).status).toBe(404);
    expect((await agent.post(`/admin/statuses/${sid}/delete`)).status).toBe(403);
  });
});
