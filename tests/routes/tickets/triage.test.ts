import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CurrentUser } from "../../../src/env.js";
import { changeRole } from "../../../src/users/admins.js";
import { type Browser, browserAs, createUser, type TestApp, testApp } from "../../helpers/app.js";

let t: TestApp;
let requester: CurrentUser, other: CurrentUser, agent: CurrentUser, agent2: CurrentUser, adminUser: CurrentUser;
let as: Record<string, Browser>;
let ticketId: number;

beforeAll(async () => {
  t = await testApp();
  requester = await createUser(t.db, { name: "Rita Requester" });
  other = await createUser(t.db, { name: "Oscar Other" });
  agent = await createUser(t.db, { name: "Alex Agent", role: "agent" });
  agent2 = await createUser(t.db, { name: "Sam Second", role: "agent" });
  adminUser = await createUser(t.db, { name: "Ada Admin", role: "admin" });
  as = {
    anonymous: undefined as unknown as Browser,
    requester: await browserAs(t, requester),
    other: await browserAs(t, other),
    agent: await browserAs(t, agent),
    agent2: await browserAs(t, agent2),
    admin: await browserAs(t, adminUser),
  };
  ticketId = (
    await t.db.ticket.create({
      data: { subject: "Matrix ticket", description: "For the authorization matrix.", requesterId: requester.id },
    })
  ).id;
});
afterAll(() => t.close());

/** The triage form as the page sends it: every field, those not named as the ticket has them now. */
async function triage(
  b: Browser,
  id: number,
  wanted: { status?: string; priority?: string; assignee?: string; version?: string },
  options: { htmx?: "partial" } = {},
) {
  const now = await t.db.ticket.findUniqueOrThrow({ where: { id } });
  const fields = { status: now.status, priority: now.priority, assignee: now.assigneeId ? String(now.assigneeId) : "" };
  return b.post(`/tickets/${id}/triage`, { ...fields, ...wanted }, options);
}

const freshTicket = async () =>
  (
    await t.db.ticket.create({
      data: { subject: "Fresh", description: "A fresh ticket for one test.", requesterId: requester.id },
    })
  ).id;
const version = async (id: number) => String((await t.db.ticket.findUniqueOrThrow({ where: { id } })).version);

describe("authorization matrix", () => {
  // who -> expected status for [view, reply, close, reopen, triage, assignee, note, queue, dashboard, admin,
  // link, merge (its first step, which writes nothing)]
  const expectations: Record<string, number[]> = {
    requester: [200, 303, 303, 303, 403, 403, 403, 403, 403, 403, 403, 403],
    other: [404, 404, 404, 404, 404, 404, 404, 403, 403, 403, 404, 404],
    agent: [200, 303, 303, 303, 303, 303, 303, 200, 200, 403, 303, 200],
    admin: [200, 303, 303, 303, 303, 303, 303, 200, 200, 200, 303, 200],
  };
  const requests = (id: number): [string, string, Record<string, string>?][] => [
    ["GET", `/tickets/${id}`],
    ["POST", `/tickets/${id}/replies`, { body: "Matrix reply" }],
    ["POST", `/tickets/${id}/close`, {}],
    ["POST", `/tickets/${id}/reopen`, {}],
    ["POST", `/tickets/${id}/triage`, { status: "Waiting", priority: "Urgent", assignee: "" }],
    ["POST", `/tickets/${id}/assignee`, { assignee: String(agent.id) }],
    ["POST", `/tickets/${id}/replies`, { body: "Secret agent note", kind: "note" }],
    ["GET", "/queue"],
    ["GET", "/dashboard"],
    ["GET", "/admin/users"],
    ["POST", `/tickets/${id}/links`, { number: String(ticketId) }],
    ["POST", `/tickets/${id}/merge`, { into: String(ticketId) }],
  ];

  for (const who of Object.keys(expectations)) {
    it(`${who}: full pages and htmx fragments answer as the rules say`, async () => {
      for (const htmx of [false, "partial"] as const) {
        const id = await freshTicket();
        const list = requests(id);
        for (let i = 0; i < list.length; i++) {
          const [method, path, form] = list[i]!;
          const res = method === "GET" ? await as[who]!.get(path, { htmx }) : await as[who]!.post(path, form, { htmx });
          let expected = expectations[who]![i]!;
          if (htmx === "partial" && expected === 303) expected = method === "POST" ? 200 : 303;
          expect(res.status, `${who} ${method} ${path} ${htmx || "page"}`).toBe(expected);
        }
      }
    });
  }

  it("anonymous people are sent to sign in everywhere", async () => {
    const { Browser } = await import("../../helpers/app.js");
    const anon = new Browser(t);
    for (const path of [`/tickets/${ticketId}`, "/queue", "/dashboard", "/admin/users", "/account"]) {
      expect((await anon.get(path)).location, path).toMatch(/^\/login\?next=/);
    }
  });

  it("requesters never see internal notes or internal events, in pages or fragments", async () => {
    const id = await freshTicket();
    await as.agent!.post(`/tickets/${id}/replies`, { kind: "note", body: "Internal: the printer vendor owes us" });
    await as.agent!.post(`/tickets/${id}/replies`, { body: "Public: we are on it" });
    const pages = [
      await as.requester!.get(`/tickets/${id}`),
      await as.requester!.post(`/tickets/${id}/replies`, { body: "Thanks!" }, { htmx: "partial" }),
      await as.requester!.post(`/tickets/${id}/close`, {}, { htmx: "partial" }),
      await as.requester!.get(`/tickets?q=printer`),
    ];
    for (const page of pages) {
      expect(page.text).not.toContain("printer vendor");
      expect(page.text).not.toContain("internal note");
      expect(page.text).not.toContain("Internal note");
    }
    expect(pages[0]!.text).toContain("Public: we are on it");
    const agentPage = await as.agent!.get(`/tickets/${id}`);
    expect(agentPage.text).toContain("Internal: the printer vendor owes us");
    expect(agentPage.text).toContain("Internal note (agents only)");
  });

  it("a role change takes effect on the user's next request", async () => {
    const person = await createUser(t.db);
    const b = await browserAs(t, person);
    expect((await b.get("/queue")).status).toBe(403);
    // Through the domain function, as the admin page and user:create do: it empties the session cache.
    await changeRole(t.deps, person.id, "agent");
    expect((await b.get("/queue")).status).toBe(200);
    expect((await b.get("/queue")).status).toBe(200);
    await changeRole(t.deps, person.id, "requester");
    expect((await b.get("/queue")).status).toBe(403);
  });
});

describe("triage", () => {
  it("records each change in history with the right actor, in the same transaction", async () => {
    const id = await freshTicket();
    const a = as.agent!;
    expect(
      (await a.post(`/tickets/${id}/assignee`, { assignee: String(agent.id), version: await version(id) })).status,
    ).toBe(303);
    expect((await triage(a, id, { status: "In progress", version: await version(id) })).status).toBe(303);
    expect((await triage(a, id, { priority: "Urgent", version: await version(id) }, { htmx: "partial" })).status).toBe(
      200,
    );
    const events = await t.db.ticketEvent.findMany({ where: { ticketId: id }, orderBy: { id: "asc" } });
    expect(events.map((e) => [e.kind, e.fromValue, e.toValue, e.actorId])).toEqual([
      ["assignee", null, "Alex Agent", agent.id],
      ["status", "Open", "In progress", agent.id],
      ["priority", "Medium", "Urgent", agent.id],
    ]);
    const page = await as.requester!.get(`/tickets/${id}`);
    expect(page.text).toContain("<bdi>Alex Agent</bdi> assigned the ticket to Alex Agent");
    expect(page.text).toContain("changed the status from Open to In progress");
    expect((await t.db.ticket.findUniqueOrThrow({ where: { id } })).assigneeId).toBe(agent.id);
  });

  it("two agents changing the same ticket from stale pages: the second gets 409 and nothing is overwritten", async () => {
    const id = await freshTicket();
    const seen = await version(id);
    await new Promise((r) => setTimeout(r, 5));
    expect((await triage(as.agent!, id, { priority: "High", version: seen })).status).toBe(303);
    const stale = await triage(as.agent2!, id, { priority: "Low", version: seen }, { htmx: "partial" });
    expect(stale.status).toBe(409);
    expect(stale.text).toContain("This ticket changed since you opened it");
    expect(stale.text).toContain("High priority");
    const staleStatus = await triage(as.agent2!, id, { status: "Waiting", version: seen });
    expect(staleStatus.status).toBe(409);
    const ticket = await t.db.ticket.findUniqueOrThrow({ where: { id } });
    expect(ticket).toMatchObject({ priority: "High", status: "Open" });
    expect(await t.db.ticketEvent.count({ where: { ticketId: id } })).toBe(1);
  });

  it("refuses bad values with 422 and assigning a requester or a disabled agent", async () => {
    const id = await freshTicket();
    const disabled = await createUser(t.db, { role: "agent", disabled: true });
    for (const [path, form] of [
      ["triage", { status: "Done", priority: "Medium", assignee: "" }],
      ["triage", { status: "Open", priority: "Critical", assignee: "" }],
      ["assignee", { assignee: "abc" }],
      ["assignee", { assignee: String(requester.id) }],
      ["assignee", { assignee: String(disabled.id) }],
      ["assignee", { assignee: "999999" }],
      ["replies", { kind: "note", body: "   " }],
    ] as const) {
      const res = await as.agent!.post(`/tickets/${id}/${path}`, form);
      expect(res.status, `${path} ${JSON.stringify(form)}`).toBe(422);
    }
    expect(await t.db.ticketEvent.count({ where: { ticketId: id } })).toBe(0);
    // In place, the refusal keeps the ticket's state and controls and says why.
    const partial = await as.agent!.post(
      `/tickets/${id}/assignee`,
      { assignee: String(disabled.id) },
      { htmx: "partial" },
    );
    expect(partial.status).toBe(422);
    expect(partial.text).toMatch(/^<div id="ticket-state"/);
    expect(partial.text).toContain("Nothing was changed: choose someone who is an active agent or admin.");
    expect(partial.text).toContain('id="triage-assignee"');
  });

  it("unassigns, and closing via status records closedAt", async () => {
    const id = await freshTicket();
    await as.agent!.post(`/tickets/${id}/assignee`, { assignee: String(agent2.id) });
    await as.agent!.post(`/tickets/${id}/assignee`, { assignee: "" });
    await triage(as.agent!, id, { status: "Closed" });
    const ticket = await t.db.ticket.findUniqueOrThrow({ where: { id } });
    expect(ticket.assigneeId).toBeNull();
    expect(ticket.closedAt).toBeInstanceOf(Date);
  });

  it("shows agents the triage forms and the note form", async () => {
    const page = await as.agent!.get(`/tickets/${ticketId}`);
    for (const id of ['id="triage-status"', 'id="triage-priority"', 'id="triage-assignee"', 'id="kind-note"'])
      expect(page.text).toContain(id);
    expect(page.text).toContain("Alex Agent (me)");
  });
});

describe("fewer steps for agents", () => {
  it("'Send and set Waiting' and 'Send and close' reply and set the status in one post", async () => {
    const id = await freshTicket();
    const page = await as.agent!.get(`/tickets/${id}`);
    expect(page.text).toContain('name="set_status" value="Waiting"');
    expect(page.text).toContain('name="set_status" value="Closed"');
    expect((await as.requester!.get(`/tickets/${id}`)).text).not.toContain('name="set_status"');

    const waiting = await as.agent!.post(`/tickets/${id}/replies`, { body: "Which floor?", set_status: "Waiting" });
    expect(waiting.status).toBe(303);
    let ticket = await t.db.ticket.findUniqueOrThrow({ where: { id }, include: { events: true, replies: true } });
    expect([ticket.status, ticket.replies.length]).toEqual(["Waiting", 1]);
    expect(ticket.events.map((e) => [e.kind, e.toValue])).toEqual([
      ["reply", null],
      ["status", "Waiting"],
      ["assignee", "Alex Agent"],
    ]);
    const closed = await as.agent!.post(
      `/tickets/${id}/replies`,
      { body: "Fixed on floor 3.", set_status: "Closed" },
      { htmx: "partial", target: "reply-form" },
    );
    expect(closed.status).toBe(200);
    expect(closed.text).toContain("Reply sent and the ticket closed.");
    expect(closed.text).toContain('id="ticket-state" data-hx-swap-oob="true"');
    ticket = await t.db.ticket.findUniqueOrThrow({ where: { id }, include: { events: true, replies: true } });
    expect(ticket.status).toBe("Closed");
    // A requester cannot set a status this way: the reply is posted (and reopens), nothing else.
    await as.requester!.post(`/tickets/${id}/replies`, { body: "It is back.", set_status: "Closed" });
    expect((await t.db.ticket.findUniqueOrThrow({ where: { id } })).status).toBe("Open");
    // Nonsense in `then` is ignored.
    await as.agent!.post(`/tickets/${id}/replies`, { body: "Noted.", set_status: "Deleted" });
    expect((await t.db.ticket.findUniqueOrThrow({ where: { id } })).status).toBe("Open");
  });

  it("'Assign to me' is one button, gone once the ticket is the agent's", async () => {
    const id = await freshTicket();
    const page = await as.agent!.get(`/tickets/${id}`);
    expect(page.text).toContain(">Assign to me</button>");
    expect(page.text).toContain(`name="assignee" value="${agent.id}"`);
    const mine = await as.agent!.post(`/tickets/${id}/assignee`, {
      assignee: String(agent.id),
      version: await version(id),
    });
    expect(mine.status).toBe(303);
    expect((await t.db.ticket.findUniqueOrThrow({ where: { id } })).assigneeId).toBe(agent.id);
    expect((await as.agent!.get(`/tickets/${id}`)).text).not.toContain(">Assign to me</button>");
    expect((await as.agent2!.get(`/tickets/${id}`)).text).toContain(">Assign to me</button>");
  });
});

describe("the one triage form", () => {
  it("saves status, priority and assignee at once, one history event per changed field", async () => {
    const id = await freshTicket();
    const page = await as.agent!.get(`/tickets/${id}`);
    expect(page.text).toContain(`action="/tickets/${id}/triage"`);
    const saved = await as.agent!.post(`/tickets/${id}/triage`, {
      status: "In progress",
      priority: "Urgent",
      assignee: String(agent2.id),
      version: await version(id),
    });
    expect(saved.status).toBe(303);
    expect((await as.agent!.get(saved.location!)).text).toContain(
      "Saved: status In progress, priority Urgent, assigned to Sam Second.",
    );
    const ticket = await t.db.ticket.findUniqueOrThrow({
      where: { id },
      include: { events: { orderBy: { id: "asc" } } },
    });
    expect([ticket.status, ticket.priority, ticket.assigneeId, ticket.version]).toEqual([
      "In progress",
      "Urgent",
      agent2.id,
      2,
    ]);
    expect(ticket.events.map((e) => [e.kind, e.fromValue, e.toValue])).toEqual([
      ["status", "Open", "In progress"],
      ["priority", "Medium", "Urgent"],
      ["assignee", null, "Sam Second"],
    ]);
    // Only what differs is written; the same values again change nothing.
    const same = { status: "In progress", priority: "Urgent", assignee: String(agent2.id), version: await version(id) };
    const again = await as.agent!.post(`/tickets/${id}/triage`, same, { htmx: "partial", target: "ticket-state" });
    expect(again.text).toContain("Nothing changed.");
    const one = await as.agent!.post(`/tickets/${id}/triage`, { ...same, priority: "Low" });
    expect(one.status).toBe(303);
    expect(await t.db.ticketEvent.count({ where: { ticketId: id } })).toBe(4);
  });

  it("refuses a stale page, someone who cannot take tickets, nonsense, and requesters", async () => {
    const id = await freshTicket();
    const base = { status: "Waiting", priority: "High", assignee: "" };
    expect((await as.agent!.post(`/tickets/${id}/triage`, { ...base, version: "99" })).status).toBe(409);
    const notStaff = await as.agent!.post(`/tickets/${id}/triage`, {
      ...base,
      assignee: String(requester.id),
      version: await version(id),
    });
    expect(notStaff.status).toBe(422);
    expect(notStaff.text).toContain("choose someone who is an active agent or admin");
    const nonsense = await as.agent!.post(`/tickets/${id}/triage`, {
      ...base,
      status: "Deleted",
      version: await version(id),
    });
    expect(nonsense.status).toBe(422);
    expect((await as.requester!.post(`/tickets/${id}/triage`, { ...base, version: await version(id) })).status).toBe(
      403,
    );
    expect((await as.other!.post(`/tickets/${id}/triage`, { ...base, version: await version(id) })).status).toBe(404);
    const ticket = await t.db.ticket.findUniqueOrThrow({ where: { id } });
    expect([ticket.status, ticket.priority, ticket.version]).toEqual(["Open", "Medium", 1]);
  });
});

describe("the agents' composer", () => {
  it("one box: a reply by default, an internal note when chosen; the button's choice wins", async () => {
    const id = await freshTicket();
    const page = await as.agent!.get(`/tickets/${id}`);
    expect(page.text).toContain('id="kind-reply" name="kind" value="reply" checked');
    expect(page.text).toContain(">Add note</button>");
    expect(page.text).not.toContain('id="note-form"');
    await as.agent!.post(`/tickets/${id}/replies`, { body: "Public answer.", kind: "reply" });
    await as.agent!.post(`/tickets/${id}/replies`, { body: "Chosen note.", kind: "note" });
    await as.agent!.post(`/tickets/${id}/replies`, { body: "Button note.", kind: "reply", as: "note" });
    await as.agent!.post(`/tickets/${id}/replies`, { body: "Button reply.", kind: "note", as: "reply" });
    // "Send and set Waiting" is a reply whatever the radio says.
    await as.agent!.post(`/tickets/${id}/replies`, { body: "Waiting reply.", kind: "note", set_status: "Waiting" });
    const rows = await t.db.reply.findMany({ where: { ticketId: id }, orderBy: { id: "asc" } });
    expect(rows.map((r) => [r.body, r.internal])).toEqual([
      ["Public answer.", false],
      ["Chosen note.", true],
      ["Button note.", true],
      ["Button reply.", false],
      ["Waiting reply.", false],
    ]);
    const requesterView = (await as.requester!.get(`/tickets/${id}`)).text;
    expect(requesterView).not.toContain("Chosen note.");
    expect(requesterView).not.toContain("Button note.");
  });

  it("a note with an error comes back as a note; a requester cannot post a note", async () => {
    const id = await freshTicket();
    const empty = await as.agent!.post(`/tickets/${id}/replies`, { body: "", kind: "note" }, { htmx: "partial" });
    expect(empty.status).toBe(422);
    expect(empty.text).toContain('id="kind-note" name="kind" value="note" checked');
    const page = await as.agent!.post(`/tickets/${id}/replies`, { body: "", as: "note" });
    expect(page.status).toBe(422);
    expect(page.text).toContain('id="kind-note" name="kind" value="note" checked');
    expect((await as.requester!.post(`/tickets/${id}/replies`, { body: "Sneaky note.", kind: "note" })).status).toBe(
      403,
    );
    expect(await t.db.reply.count({ where: { ticketId: id } })).toBe(0);
  });
});
