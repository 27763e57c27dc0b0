import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CurrentUser } from "../../src/env.js";
import { PRIORITIES, STATUSES } from "../../src/tickets/model.js";
import { type Browser, browserAs, createUser, type TestApp, testApp } from "../helpers/app.js";

let t: TestApp;
let agent: CurrentUser, agent2: CurrentUser;
let a: Browser;
type Row = {
  id: number;
  status: string;
  priority: string;
  assigneeId: number | null;
  requesterId: number;
  subject: string;
  updatedAt: Date;
};
const rows: Row[] = [];
let requesters: CurrentUser[] = [];

beforeAll(async () => {
  t = await testApp();
  agent = await createUser(t.db, { role: "agent", name: "Alex Agent" });
  agent2 = await createUser(t.db, { role: "agent", name: "Sam Second" });
  requesters = [
    await createUser(t.db, { name: "Quinn Alpha", email: "quinn@alpha.example" }),
    await createUser(t.db, { name: "Rory Beta" }),
    await createUser(t.db, { name: "Sky Gamma" }),
  ];
  a = await browserAs(t, agent);
  const base = Date.parse("2026-11-01T00:00:00Z");
  for (let i = 0; i < 300; i++) {
    const ticket = await t.db.ticket.create({
      data: {
        subject: `Ticket ${i} ${i % 10 === 0 ? "keyboard" : "monitor"}`,
        description: `Body ${i}`,
        status: STATUSES[i % 4]!,
        priority: PRIORITIES[(i * 3) % 4]!,
        assigneeId: i % 3 === 0 ? null : i % 3 === 1 ? agent.id : agent2.id,
        requesterId: requesters[i % 3]!.id,
        updatedAt: new Date(base + ((i * 7919) % 300) * 60_000),
      },
    });
    if (i % 25 === 0)
      await t.db.reply.create({
        data: { ticketId: ticket.id, authorId: agent.id, body: `Replacement part is a flux capacitor ${i}` },
      });
    rows.push(ticket);
  }
});
afterAll(() => t.close());

const ids = (html: string) => [...html.matchAll(/<td>#(\d+)<\/td>/g)].map((m) => Number(m[1]));
const next = (html: string) =>
  html.match(/<a href="([^"]+)" data-hx-get=[^>]*rel="next"/)?.[1]?.replaceAll("&amp;", "&");

async function all(url: string) {
  const seen: number[] = [];
  let u: string | undefined = url;
  while (u) {
    const res = await a.get(u);
    expect(res.status, u).toBe(200);
    seen.push(...ids(res.text));
    u = next(res.text);
  }
  return seen;
}

const rank = (p: string) => PRIORITIES.indexOf(p as never);

describe("the queue", () => {
  it("pages every ticket once, newest first", async () => {
    expect(await all("/queue")).toEqual(rows.map((r) => r.id).reverse());
  });

  it("combines status, priority and assignee filters with pagination", async () => {
    const expected = rows
      .filter((r) => r.status === "Open" && r.priority === "High" && r.assigneeId === agent.id)
      .map((r) => r.id)
      .reverse();
    expect(await all(`/queue?status=Open&priority=High&assignee=me`)).toEqual(expected);
    expect(await all(`/queue?assignee=unassigned`)).toEqual(
      rows
        .filter((r) => r.assigneeId === null)
        .map((r) => r.id)
        .reverse(),
    );
    expect(await all(`/queue?assignee=${agent2.id}&status=Waiting`)).toEqual(
      rows
        .filter((r) => r.assigneeId === agent2.id && r.status === "Waiting")
        .map((r) => r.id)
        .reverse(),
    );
  });

  it("shows the work still to do with status=active: every ticket not closed, counted", async () => {
    const notClosed = rows.filter((r) => r.status !== "Closed");
    expect(await all("/queue?status=active&priority=Urgent&sort=oldest")).toEqual(
      notClosed.filter((r) => r.priority === "Urgent").map((r) => r.id),
    );
    const res = await a.get("/queue?status=active");
    expect(res.text).toContain(`Not closed: ${notClosed.length}</a>`);
    expect(res.text).toMatch(/<option value="active" selected="">Not closed<\/option>/);
    // The navigation opens the queue on this view.
    expect(res.text).toContain('<a href="/queue?status=active" aria-current="page">Queue</a>');
  });

  it("searches subject, description and replies, and filters by requester", async () => {
    expect(await all("/queue?q=KEYBOARD")).toEqual(
      rows
        .filter((r) => r.subject.includes("keyboard"))
        .map((r) => r.id)
        .reverse(),
    );
    expect(await all("/queue?q=flux%20capacitor")).toHaveLength(12);
    expect(await all("/queue?requester=alpha.example&q=monitor")).toEqual(
      rows
        .filter((r) => r.requesterId === requesters[0]!.id && r.subject.includes("monitor"))
        .map((r) => r.id)
        .reverse(),
    );
  });

  it("sorts by oldest, recently updated and priority, paging without gaps", async () => {
    expect(await all("/queue?sort=oldest")).toEqual(rows.map((r) => r.id));
    const updated = [...rows]
      .sort((x, y) => y.updatedAt.getTime() - x.updatedAt.getTime() || y.id - x.id)
      .map((r) => r.id);
    expect(await all("/queue?sort=updated")).toEqual(updated);
    const byPriority = [...rows].sort((x, y) => rank(y.priority) - rank(x.priority) || y.id - x.id).map((r) => r.id);
    expect(await all("/queue?sort=priority")).toEqual(byPriority);
    const urgentOpen = rows
      .filter((r) => r.status === "Open")
      .sort((x, y) => rank(y.priority) - rank(x.priority) || y.id - x.id)
      .map((r) => r.id);
    expect(await all("/queue?sort=priority&status=Open")).toEqual(urgentOpen);
  });

  it("counts tickets per status under the other filters", async () => {
    const res = await a.get("/queue?priority=Urgent");
    for (const s of STATUSES) {
      const n = rows.filter((r) => r.priority === "Urgent" && r.status === s).length;
      expect(res.text).toContain(`${s}: ${n}</a>`);
    }
  });

  it("answers the filter form's partial with results and counts, rows for load more", async () => {
    const partial = await a.get("/queue?status=Open", { htmx: "partial", target: "div#queue-results" });
    expect(partial.text).toMatch(/^<div id="queue-results">/);
    const more = await a.get(next(partial.text)!, { htmx: "partial", target: "tbody#ticket-rows" });
    expect(more.text).toMatch(/^<tr>/);
  });

  it("ignores nonsense filters", async () => {
    for (const q of [
      "?assignee=x",
      "?sort=random",
      "?priority=Mega",
      "?cursor=zz",
      "?status=Open&status=Closed",
      "?sort=priority&cursor=9_99999999999",
    ]) {
      expect((await a.get(`/queue${q}`)).status, q).toBe(200);
    }
  });
});

describe("the dashboard", () => {
  it("shows open tickets by priority, the oldest waiting ticket and a 7-day SVG chart", async () => {
    const res = await a.get("/dashboard");
    expect(res.status).toBe(200);
    const openUrgent = rows.filter((r) => r.status !== "Closed" && r.priority === "Urgent").length;
    expect(res.text).toContain(`Urgent<span class="visually-hidden"> priority</span></span> ${openUrgent}`);
    const oldest = rows.find((r) => r.status !== "Closed")!;
    expect(res.text).toContain(`#${oldest.id} `);
    expect(res.text).toMatch(/<svg class="chart"[^>]*role="img"[^>]*aria-label="Tickets opened and closed per day/);
    // Each count links to the queue showing exactly those tickets.
    expect(res.text).toContain(`href="/queue?status=active&amp;priority=Urgent&amp;sort=oldest"`);
  });
});

describe("an agent's start view", () => {
  it("is the open work until they choose the view on screen; sign-in and the menu lead there; reset goes back", async () => {
    const me = await createUser(t.db, { role: "agent", name: "Vera View" });
    const b = await browserAs(t, me);
    const open = await b.get("/queue?status=active");
    expect(open.text).toContain("You start at this view after signing in.");
    expect(open.text).not.toContain("Start at the open tickets instead");
    const mine = await b.get("/queue?assignee=me&sort=priority&cursor=99");
    expect(mine.text).toContain("Start here after signing in");
    expect(mine.text).toContain('name="view" value="assignee=me&amp;sort=priority"');
    // Saved without JS: 303 back to the view; the cleaned view kept (unknown and bad filters dropped).
    const saved = await b.post("/queue/start", { view: "sort=priority&assignee=me&role=admin&priority=Bogus" });
    expect(saved.status).toBe(303);
    expect(saved.location).toBe("/queue?assignee=me&sort=priority");
    expect((await t.db.user.findUniqueOrThrow({ where: { id: me.id } })).startView).toBe("assignee=me&sort=priority");
    const after = await b.get("/queue?assignee=me&sort=priority");
    expect(after.text).toContain('<a href="/queue?assignee=me&amp;sort=priority" aria-current="page">Queue</a>');
    expect(after.text).toContain("Start at the open tickets instead");
    // Signing in lands there.
    const fresh = new (await import("../helpers/app.js")).Browser(t);
    await fresh.get("/login");
    const login = await fresh.post("/login", {
      email: me.email,
      password: (await import("../helpers/app.js")).PASSWORD,
    });
    expect(login.location).toBe("/queue?assignee=me&sort=priority");
    // With htmx the form answers in place; reset goes back to the open work.
    const reset = await b.post("/queue/start", { view: "assignee=me&sort=priority", reset: "1" }, { htmx: "partial" });
    expect(reset.status).toBe(200);
    expect(reset.text).toMatch(/^<form id="start-view"/);
    expect(reset.text).toContain("You start at the open tickets after signing in.");
    expect((await t.db.user.findUniqueOrThrow({ where: { id: me.id } })).startView).toBeNull();
  });

  it("is for staff only", async () => {
    const requester = await browserAs(t, await createUser(t.db));
    expect((await requester.post("/queue/start", { view: "status=Open" })).status).toBe(403);
  });
});

describe("who spoke last", () => {
  it("a requester's answer puts the ticket under 'Needs reply' and back to the desk; the desk's answer takes it out", async () => {
    const requester = requesters[1]!;
    const r = await browserAs(t, requester);
    const made = await r.post("/tickets", { subject: "Scanner beeps", description: "It beeps every minute." });
    const id = Number(made.location!.split("/").pop());
    const needed = async () => ids((await a.get("/queue?reply=needed&sort=newest")).text).includes(id);
    const answered = async () => ids((await a.get("/queue?reply=answered&sort=newest")).text).includes(id);
    // A new ticket: the requester spoke (its description); nobody has answered.
    expect([await needed(), await answered()]).toEqual([true, false]);
    await a.post(`/tickets/${id}/replies`, { body: "Which scanner?", set_status: "Waiting" });
    expect([await needed(), await answered()]).toEqual([false, true]);
    const page = (await a.get(`/tickets/${id}`)).text;
    expect(page).toContain("The desk: answered");
    // Waiting says who waits, to each of them.
    expect(page).toContain('<span class="badge s-Waiting">Waiting on the requester</span>');
    expect((await r.get(`/tickets/${id}`)).text).toContain(
      '<span class="badge s-Waiting">Waiting for your reply</span>',
    );
    expect((await r.get("/tickets")).text).toContain("Waiting for your reply");
    await r.post(`/tickets/${id}/replies`, { body: "The one by the door." });
    expect([await needed(), await answered()]).toEqual([true, false]);
    const ticket = await t.db.ticket.findUniqueOrThrow({ where: { id } });
    // Waiting no more: handed back to the agent who answered (and so took it): In progress.
    expect([ticket.status, ticket.assigneeId, ticket.lastSpoke]).toEqual(["In progress", agent.id, "requester"]);
    const staffPage = (await a.get(`/tickets/${id}`)).text;
    expect(staffPage).toContain("The requester: needs reply");
    expect((await a.get("/queue?reply=needed&sort=newest")).text).toMatch(
      new RegExp(`#${id}</td>[\\s\\S]*?<span class="badge needs-reply">Needs reply</span>`),
    );
    // An internal note is not an answer; the requester's own page says nothing of it.
    await a.post(`/tickets/${id}/replies`, { body: "Checking the model.", kind: "note" });
    expect(await needed()).toBe(true);
    expect((await r.get(`/tickets/${id}`)).text).not.toContain("needs reply");
    // Closed: nothing is owed.
    await a.post(`/tickets/${id}/close`);
    expect(await needed()).toBe(false);
  });

  it("keeps the filter in the view's URL and ignores a value it does not know", async () => {
    const page = await a.get("/queue?reply=needed");
    expect(page.text).toMatch(/<option value="needed" selected/);
    expect((await a.get("/queue?reply=bogus")).status).toBe(200);
  });
});

describe("Send and next", () => {
  it("sends the reply, then opens the next ticket of the view the agent came from; at its end, the view", async () => {
    const requester = requesters[2]!;
    const r = await browserAs(t, requester);
    const made: number[] = [];
    for (const n of [1, 2, 3]) {
      const res = await r.post("/tickets", { subject: `Walk ${n}`, description: "One of three to walk through." });
      made.push(Number(res.location!.split("/").pop()));
    }
    const b = await browserAs(t, agent2);
    // The view: these three, oldest first.
    const view = `/queue?q=${encodeURIComponent("Walk ")}&sort=oldest`;
    expect(ids((await b.get(view)).text)).toEqual(made);
    await b.get(`/tickets/${made[0]}`);
    const first = await b.post(`/tickets/${made[0]}/replies`, { body: "First answered.", after: "next" });
    expect([first.status, first.location]).toEqual([303, `/tickets/${made[1]}`]);
    expect((await b.get(first.location!)).text).toContain(`Reply sent. Next in your view: #${made[1]}.`);
    expect((await t.db.reply.findFirstOrThrow({ where: { ticketId: made[0] } })).body).toBe("First answered.");
    // In place (htmx): the same, as HX-Location.
    const second = await b.post(
      `/tickets/${made[1]}/replies`,
      { body: "Second answered.", after: "next" },
      { htmx: "partial" },
    );
    expect([second.status, second.headers.get("HX-Location")]).toEqual([204, `/tickets/${made[2]}`]);
    const last = await b.post(`/tickets/${made[2]}/replies`, { body: "Third answered.", after: "next" });
    const back = new URL(last.location!, "http://localhost");
    expect([back.pathname, back.searchParams.get("q"), back.searchParams.get("sort")]).toEqual([
      "/queue",
      "Walk ",
      "oldest",
    ]);
    expect((await b.get(last.location!)).text).toContain("That was the last ticket of your view.");
  });
});
