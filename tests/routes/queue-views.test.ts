import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CurrentUser } from "../../src/env.js";
import { openTicket } from "../../src/tickets/open.js";
import { VIEW_NAME_MAX, VIEWS_MAX } from "../../src/tickets/views.js";
import { type Browser, browserAs, createUser, section, type TestApp, testApp } from "../helpers/app.js";

// Saved views: an agent keeps the queue's filters under a name, sees it in the queue's navigation
// with its count, renames and removes it; an admin shares one with every agent (theirs to change).
// Nobody sees another's own views; requesters reach none of it.

let t: TestApp;
let ann: CurrentUser, bob: CurrentUser, adminUser: CurrentUser, rita: CurrentUser;
let annB: Browser, bobB: Browser, admin: Browser, requester: Browser;

const viewOf = (name: string) => t.db.savedView.findFirstOrThrow({ where: { name } });

beforeAll(async () => {
  t = await testApp();
  ann = await createUser(t.db, { role: "agent", name: "Ann Agent" });
  bob = await createUser(t.db, { role: "agent", name: "Bob Agent" });
  adminUser = await createUser(t.db, { role: "admin", name: "Ada Admin" });
  rita = await createUser(t.db, { name: "Rita Requester" });
  annB = await browserAs(t, ann);
  bobB = await browserAs(t, bob);
  admin = await browserAs(t, adminUser);
  requester = await browserAs(t, rita);
  for (const [subject, priority] of [
    ["Printer jams", "Urgent"],
    ["Wifi drops", "Urgent"],
    ["Badge reader", "Low"],
  ] as const)
    await openTicket(t.deps, rita, { subject, description: "At the kiosk.", priority }, undefined);
});
afterAll(() => t.close());

describe("saved views", () => {
  it("an agent saves the view on screen, cleaned to the queue's filters, and finds it in the queue with its count", async () => {
    const saved = await annB.post("/queue/views", {
      view: "status=active&priority=Urgent&cursor=99&junk=1",
      viewName: "  Urgent   work ",
    });
    expect(saved.status).toBe(303);
    expect(saved.location).toBe("/queue?status=active&priority=Urgent");
    expect(await viewOf("Urgent work")).toMatchObject({ query: "status=active&priority=Urgent", ownerId: ann.id });
    const page = await annB.get("/queue?status=active&priority=Urgent");
    expect(section(page.text, "flash")).toContain("Saved the view “Urgent work”.");
    const nav = section(page.text, "saved-views-nav");
    expect(nav).toContain(
      '<a href="/queue?status=active&amp;priority=Urgent" aria-current="true"><bdi>Urgent work: 2</bdi>',
    );
    expect(nav).toContain('<a href="/queue/views">Manage saved views</a>');
    // Another agent sees nothing of it, and cannot reach it by its number.
    expect((await bobB.get("/queue")).text).not.toContain("Urgent work");
    const { id } = await viewOf("Urgent work");
    expect((await bobB.post(`/queue/views/${id}`, { [`name-${id}`]: "Mine now" })).status).toBe(404);
    expect((await bobB.post(`/queue/views/${id}/delete`)).status).toBe(404);
    // It can be where Ann starts: "Start here" takes its query.
    expect((await annB.post("/queue/start", { view: "status=active&priority=Urgent" })).status).toBe(303);
    expect((await t.db.user.findUniqueOrThrow({ where: { id: ann.id } })).startView).toBe(
      "status=active&priority=Urgent",
    );
  });

  it("refuses a missing, long or taken name with 422, the name kept by its box", async () => {
    const missing = await annB.post("/queue/views", { view: "status=Open", viewName: "   " });
    expect(missing.status).toBe(422);
    expect(missing.text).toContain('<p id="viewName-error" class="error">Give the view a name.</p>');
    const long = await annB.post("/queue/views", { view: "status=Open", viewName: "x".repeat(VIEW_NAME_MAX + 1) });
    expect(long.status).toBe(422);
    expect(long.text).toContain(`A view&#39;s name has at most ${VIEW_NAME_MAX} characters.`);
    const taken = await annB.post("/queue/views", { view: "status=Open", viewName: "URGENT WORK" });
    expect(taken.status).toBe(422);
    expect(taken.text).toContain("There is a view with this name already.");
    expect(taken.text).toContain('value="URGENT WORK"');
    // Another agent may use the same name for their own.
    expect((await bobB.post("/queue/views", { view: "status=Open", viewName: "Urgent work" })).status).toBe(303);
    // With htmx the results come back in place with the message.
    const partial = await annB.post("/queue/views", { view: "", viewName: "" }, { htmx: "partial" });
    expect(partial.status).toBe(422);
    expect(partial.text).toMatch(/^<div id="queue-results"/);
  });

  it("an admin shares a view with every agent; only admins rename or remove it", async () => {
    const shared = await admin.post("/queue/views", {
      view: "status=Waiting",
      viewName: "Waiting on them",
      shared: "1",
    });
    expect(shared.status).toBe(303);
    const view = await viewOf("Waiting on them");
    expect(view.ownerId).toBeNull();
    const page = await bobB.get("/queue");
    expect(section(page.text, "saved-views-nav")).toContain("Waiting on them: 0");
    expect(section(page.text, "saved-views-nav")).toContain("(shared)");
    // An agent cannot share, rename or remove one.
    const notAdmin = await bobB.post("/queue/views", { view: "status=Open", viewName: "Everyone's", shared: "1" });
    expect(notAdmin.status).toBe(422);
    expect(notAdmin.text).toContain("Only admins change a view shared with every agent.");
    expect((await bobB.post(`/queue/views/${view.id}`, { [`name-${view.id}`]: "Mine" })).status).toBe(403);
    expect((await bobB.post(`/queue/views/${view.id}/delete`)).status).toBe(403);
    const list = await bobB.get("/queue/views");
    expect(list.text).toContain("Waiting on them");
    expect(list.text).not.toContain(`action="/queue/views/${view.id}"`);
    // The admin renames it (a taken name refused by the box first), then removes it.
    await admin.post("/queue/views", { view: "status=Open", viewName: "Open ones", shared: "1" });
    const clash = await admin.post(`/queue/views/${view.id}`, { [`name-${view.id}`]: "open ONES" });
    expect(clash.status).toBe(422);
    expect(clash.text).toContain(
      `<p id="name-${view.id}-error" class="error">There is a view with this name already.</p>`,
    );
    expect((await admin.post(`/queue/views/${view.id}`, { [`name-${view.id}`]: "Waiting" })).status).toBe(303);
    expect((await t.db.savedView.findUniqueOrThrow({ where: { id: view.id } })).name).toBe("Waiting");
    expect((await admin.post(`/queue/views/${view.id}/delete`)).status).toBe(303);
    expect(await t.db.savedView.count({ where: { id: view.id } })).toBe(0);
    expect((await admin.post(`/queue/views/${view.id}/delete`)).status).toBe(404);
  });

  it("renames and removes one's own; an empty name is refused by its box", async () => {
    await annB.post("/queue/views", { view: "priority=Low", viewName: "Low ones" });
    const { id } = await viewOf("Low ones");
    const empty = await annB.post(`/queue/views/${id}`, { [`name-${id}`]: " " });
    expect(empty.status).toBe(422);
    expect(empty.text).toContain(`<p id="name-${id}-error" class="error">Give the view a name.</p>`);
    expect((await annB.post(`/queue/views/${id}`, { [`name-${id}`]: "Quiet ones" })).status).toBe(303);
    expect(section((await annB.get("/queue/views")).text, "flash")).toContain("Renamed the view to “Quiet ones”.");
    expect((await annB.post(`/queue/views/${id}/delete`)).status).toBe(303);
    expect(await t.db.savedView.count({ where: { id } })).toBe(0);
    expect((await annB.post("/queue/views/abc/delete")).status).toBe(404);
  });

  it(`keeps at most ${VIEWS_MAX} views a person`, async () => {
    const have = await t.db.savedView.count({ where: { ownerId: bob.id } });
    await t.db.savedView.createMany({
      data: Array.from({ length: VIEWS_MAX - have }, (_, i) => ({ name: `View ${i}`, query: "", ownerId: bob.id })),
    });
    const full = await bobB.post("/queue/views", { view: "", viewName: "One more" });
    expect(full.status).toBe(422);
    expect(full.text).toContain("That is as many views as can be kept: remove one first.");
  });

  it("is for staff: requesters get 403, strangers the sign-in page", async () => {
    expect((await requester.get("/queue/views")).status).toBe(403);
    expect((await requester.post("/queue/views", { view: "", viewName: "Mine" })).status).toBe(403);
    const stranger = await t.app.request("/queue/views");
    expect(stranger.status).toBe(303);
    expect(await t.db.savedView.count({ where: { ownerId: rita.id } })).toBe(0);
  });
});
