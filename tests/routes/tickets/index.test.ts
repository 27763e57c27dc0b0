import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CurrentUser } from "../../../src/env.js";
import { type Browser, browserAs, createUser, fieldValue, section, type TestApp, testApp } from "../../helpers/app.js";

let t: TestApp;
let ann: CurrentUser;
let bob: CurrentUser;
let a: Browser;
let b: Browser;
beforeAll(async () => {
  t = await testApp();
  ann = await createUser(t.db, { name: "Ann" });
  bob = await createUser(t.db, { name: "Bob" });
  a = await browserAs(t, ann);
  b = await browserAs(t, bob);
});
afterAll(() => t.close());

const valid = { subject: "Printer jammed", description: "The printer on floor 2 is jammed again.", priority: "High" };

/** Opens a ticket; the same text again is wanted here (`again`), see "the same text again" below. */
async function open(browser: Browser, fields: Record<string, string> = {}): Promise<number> {
  const res = await browser.post("/tickets", { ...valid, again: "1", ...fields });
  expect(res.status).toBe(303);
  return Number(res.location!.split("/").pop());
}

describe("creating a ticket", () => {
  it("shows the form, creates the ticket, and redirects with a flash message", async () => {
    const form = await a.get("/tickets/new");
    expect(form.status).toBe(200);
    expect(form.text).toMatch(/<title>Open a ticket · Hyperdesk<\/title>/);
    for (const label of ['for="subject"', 'for="description"', 'for="priority"']) expect(form.text).toContain(label);
    const token = form.text.match(/name="form_token" value="([^"]+)"/)![1]!;
    const res = await a.post("/tickets", { ...valid, form_token: token });
    expect(res.status).toBe(303);
    const page = await a.get(res.location!);
    expect(page.text).toContain("is open. We will answer here.");
    const ticket = await t.db.ticket.findFirstOrThrow({ where: { subject: valid.subject, requesterId: ann.id } });
    expect(ticket).toMatchObject({ status: "Open", priority: "High", description: valid.description });
  });

  it("defaults the priority to Medium", async () => {
    const id = await open(a, { priority: "" }).catch(() => 0);
    expect(id).toBe(0); // an empty choice is not a priority
    const res = await a.post("/tickets", { subject: "No priority", description: "No priority field at all here." });
    expect(res.status).toBe(303);
    expect((await t.db.ticket.findFirstOrThrow({ where: { subject: "No priority" } })).priority).toBe("Medium");
  });

  it.each([
    ["subject", "ab", "at least 3"],
    ["subject", "x".repeat(201), "at most 200"],
    ["subject", "   ", "Enter a subject."],
    ["description", "too short", "at least 10"],
    ["description", "x".repeat(10_001), "at most 10,000"],
    ["priority", "Critical", "Choose Low, Medium, High or Urgent."],
  ])("refuses %s %j with 422 and a message next to the field", async (field, value, message) => {
    const res = await a.post("/tickets", { ...valid, [field]: value });
    expect(res.status).toBe(422);
    expect(section(res.text, `${field}-error`)).toContain(message);
    expect(res.text).toContain('class="error-summary"');
    expect(res.text).toMatch(new RegExp(`id="${field}"[^>]*aria-invalid="true"`));
    // What was typed comes back as typed, spaces and all.
    if (field !== "priority") expect(fieldValue(res.text, field)).toBe(value);
  });

  it("accepts the boundaries: 3 and 200 characters of subject, 10 and 10,000 of description", async () => {
    expect((await a.post("/tickets", { ...valid, subject: "abc", description: "x".repeat(10) })).status).toBe(303);
    expect(
      (await a.post("/tickets", { ...valid, subject: "s".repeat(200), description: "d".repeat(10_000) })).status,
    ).toBe(303);
  });

  it("answers a partial request with the form alone, input kept, focus on the error summary", async () => {
    const res = await a.post("/tickets", { ...valid, subject: "", description: "short" }, { htmx: "partial" });
    expect(res.status).toBe(422);
    expect(res.text).not.toContain("<html");
    expect(res.text).toMatch(/^<form id="ticket-form"/);
    // GOV.UK's pattern: the summary of problems takes focus, each a link to its field.
    expect(res.text).toMatch(/class="error-summary"[^>]*autofocus/);
    expect(res.text.match(/autofocus/g)).toHaveLength(1);
    expect(res.text).toContain('<a href="#subject">Subject: Enter a subject.</a>');
    expect(res.text).toContain(">short</textarea>");
  });

  it("answers a partial success with 204 and HX-Location", async () => {
    const res = await a.post("/tickets", { ...valid, subject: "Partial success" }, { htmx: "partial" });
    expect(res.status).toBe(204);
    expect(res.headers.get("HX-Location")).toMatch(/^\/tickets\/\d+$/);
  });

  it("ignores status, requesterId and role fields", async () => {
    const id = await open(a, {
      subject: "Sneaky fields",
      status: "Closed",
      requesterId: String(bob.id),
      role: "admin",
      assigneeId: String(bob.id),
    });
    const ticket = await t.db.ticket.findUniqueOrThrow({ where: { id } });
    expect(ticket).toMatchObject({ status: "Open", requesterId: ann.id, assigneeId: null });
  });

  it("creates one ticket when the same form is sent twice, and the second answer points at it", async () => {
    const token = (await a.get("/tickets/new")).text.match(/name="form_token" value="([^"]+)"/)![1]!;
    const before = await t.db.ticket.count();
    const [first, second] = await Promise.all([
      a.post("/tickets", { ...valid, subject: "Double click", form_token: token }),
      a.post("/tickets", { ...valid, subject: "Double click", form_token: token }),
    ]);
    const third = await a.post("/tickets", { ...valid, subject: "Double click", form_token: token });
    expect(await t.db.ticket.count()).toBe(before + 1);
    expect(new Set([first.location, second.location, third.location]).size).toBe(1);
    expect((await a.get(third.location!)).text).toContain("That form was already sent");
  });

  it("does not let another user reuse a form token", async () => {
    const token = (await a.get("/tickets/new")).text.match(/name="form_token" value="([^"]+)"/)![1]!;
    const mine = await open(a, { form_token: token });
    const theirs = await open(b, { form_token: token });
    expect(theirs).not.toBe(mine);
    expect((await t.db.ticket.findUniqueOrThrow({ where: { id: theirs } })).requesterId).toBe(bob.id);
  });
});

describe("the same text again (Back, then the refilled form sent again)", () => {
  const text = {
    subject: "Wifi down in room 4",
    description: "No wifi in room 4 since this morning.",
    priority: "Low",
  };
  it("asks before a second ticket: 409 with a link to the first and a button to open it anyway", async () => {
    const first = await a.post("/tickets", { ...text, form_token: "first-token-000000000" });
    expect(first.status).toBe(303);
    const firstId = Number(first.location!.split("/").pop());
    const again = await a.post("/tickets", { ...text, form_token: "fresh-token-000000000" });
    expect(again.status).toBe(409);
    expect(again.text).toContain(`You opened this as <a href="/tickets/${firstId}">#${firstId}</a>`);
    expect(again.text).toContain("just now");
    expect(again.text).toContain(`>See ticket #${firstId}</a>`);
    expect(again.text).toContain('name="again" value="1"');
    expect(again.text).toContain("Open it anyway");
    expect(again.text).toContain('value="Wifi down in room 4"');
    expect(await t.db.ticket.count({ where: { subject: text.subject } })).toBe(1);
    const partial = await a.post("/tickets", { ...text, form_token: "fresh-token-000000000" }, { htmx: "partial" });
    expect(partial.status).toBe(409);
    expect(partial.text).not.toContain("<html");
    expect(partial.text).toContain('id="ticket-form"');
    const anyway = await a.post("/tickets", { ...text, form_token: "fresh-token-000000000", again: "1" });
    expect(anyway.status).toBe(303);
    expect(Number(anyway.location!.split("/").pop())).not.toBe(firstId);
    expect(await t.db.ticket.count({ where: { subject: text.subject } })).toBe(2);
  });

  it("does not ask for other text, another person, or after ten minutes", async () => {
    const mine = { ...text, subject: "Coffee machine leaks" };
    expect((await a.post("/tickets", mine)).status).toBe(303);
    expect((await a.post("/tickets", { ...mine, description: "It leaks onto the floor as well." })).status).toBe(303);
    expect((await b.post("/tickets", mine)).status).toBe(303);
    expect((await a.post("/tickets", mine)).status).toBe(409);
    t.clock.advance(10 * 60_000 + 1000);
    a = await browserAs(t, ann);
    b = await browserAs(t, bob);
    expect((await a.post("/tickets", mine)).status).toBe(303);
  });
});

describe("user text is stored verbatim and rendered as text", () => {
  const payloads = [
    '<script>alert("x")</script>',
    '<img src=x onerror="alert(1)">',
    '<div hx-post="/logout" hx-trigger="load">boom</div>',
    '<div data-hx-post="/logout" data-hx-trigger="load" data-hx-swap-oob="true">boom</div>',
    "\"'><b onmouseover=alert(1)>",
  ];
  it.each(payloads)("%s", async (payload) => {
    const id = await open(a, { subject: `Sub ${payload}`.slice(0, 200), description: `Desc ${payload}\nsecond line` });
    await a.post(`/tickets/${id}/replies`, { body: `Reply ${payload}` });
    const page = await a.get(`/tickets/${id}`);
    const main = page.text.slice(page.text.indexOf("<main"));
    expect(main).not.toContain(payload);
    expect(main).not.toMatch(/<(script|img|b|div) (src|onmouseover|hx-post|data-hx-post)=/);
    expect(main).toContain("&lt;");
    expect((await t.db.ticket.findUniqueOrThrow({ where: { id } })).description).toBe(`Desc ${payload}\nsecond line`);
    expect((await a.get(`/tickets?q=${encodeURIComponent("Sub")}`)).text).not.toContain(payload);
  });
});

describe("ownership", () => {
  it("gives another requester the same 404 as a missing ticket, as a page and as a fragment", async () => {
    const id = await open(a);
    const missing = await b.get("/tickets/999999");
    for (const htmx of [false, "partial", "full"] as const) {
      const res = await b.get(`/tickets/${id}`, { htmx });
      expect(res.status).toBe(404);
      expect(res.text).not.toContain(valid.description);
      if (htmx === "partial") expect(res.text).not.toContain("<html");
    }
    expect(missing.status).toBe(404);
    for (const [path, form] of [
      [`/tickets/${id}/replies`, { body: "Not my ticket" }],
      [`/tickets/${id}/close`, {}],
      [`/tickets/${id}/reopen`, {}],
    ] as const) {
      expect((await b.post(path, form)).status, path).toBe(404);
      expect((await b.post(path, form, { htmx: "partial" })).status, path).toBe(404);
    }
    const ticket = await t.db.ticket.findUniqueOrThrow({ where: { id }, include: { replies: true } });
    expect(ticket.status).toBe("Open");
    expect(ticket.replies).toHaveLength(0);
  });

  it("answers 404 for ids that are not tickets, never 500", async () => {
    for (const path of [
      "/tickets/0",
      "/tickets/2147483648",
      "/tickets/99999999999999999999",
      "/tickets/abc",
      "/tickets/1e3",
      "/tickets/-1",
    ]) {
      expect((await a.get(path)).status, path).toBe(404);
    }
    expect((await a.post("/tickets/2147483648/close")).status).toBe(404);
  });

  it("lists only the requester's own tickets", async () => {
    await open(b, { subject: "Bob's private ticket" });
    expect((await a.get("/tickets")).text).not.toContain("Bob&#39;s private ticket");
    expect((await a.get("/tickets?q=private")).text).not.toContain("Bob");
  });
});

describe("the ticket page", () => {
  it("says 'No replies yet.' only while it is true, and a first reply sent in place takes it away", async () => {
    const id = await open(a);
    expect((await a.get(`/tickets/${id}`)).text).toContain('<p id="no-replies" class="meta">No replies yet.</p>');
    const partial = await a.post(`/tickets/${id}/replies`, { body: "Any news?" }, { htmx: "partial" });
    expect(partial.text).toContain('<p id="no-replies" data-hx-swap-oob="delete"></p>');
    expect((await a.get(`/tickets/${id}`)).text).not.toContain("No replies yet.");
  });

  it("shows subject, description with line breaks kept, priority, status, dates, thread and actions", async () => {
    const id = await open(a, { description: "Line one\nLine two" });
    const page = await a.get(`/tickets/${id}`);
    expect(page.text).toMatch(new RegExp(`<title>#${id} Printer jammed · Hyperdesk</title>`));
    expect(page.text).toContain('<div class="description" dir="auto">Line one\nLine two</div>');
    expect(page.text).toContain('High<span class="visually-hidden"> priority</span>');
    expect(page.text).toContain(">Open</span>");
    expect(page.text).toContain("Close ticket");
    expect(page.text).toContain('id="reply-form"');
    expect(page.text).not.toContain('id="note-form"');
    expect(page.text).not.toContain("Triage");
  });

  it("adds a reply as a page (303) and in place (form cleared, reply appended)", async () => {
    const id = await open(a);
    const full = await a.post(`/tickets/${id}/replies`, { body: "First reply" });
    expect(full.status).toBe(303);
    expect((await a.get(full.location!)).text).toContain("First reply");
    const partial = await a.post(`/tickets/${id}/replies`, { body: "Second reply" }, { htmx: "partial" });
    expect(partial.status).toBe(200);
    expect(partial.text).toMatch(/^<form id="reply-form"/);
    expect(partial.text).toContain('<ol data-hx-swap-oob="beforeend:#thread">');
    expect(partial.text).toContain("Second reply");
    expect(partial.text).toContain(
      '<div id="flash" class="flash" role="status" aria-live="polite" data-hx-swap-oob="true"><p>Reply sent.</p>',
    );
    expect(partial.text).not.toContain("<html");
  });

  it("posts a reply sent twice (double click, refresh, retry) once, at once or in a row", async () => {
    const id = await open(a);
    const twice = await Promise.all([
      a.post(`/tickets/${id}/replies`, { body: "Sent twice" }),
      a.post(`/tickets/${id}/replies`, { body: "Sent twice" }),
    ]);
    expect(twice.map((r) => r.status)).toEqual([303, 303]);
    const again = await a.post(`/tickets/${id}/replies`, { body: "  Sent twice " }, { htmx: "partial" });
    expect(again.status).toBe(200);
    expect(again.text).toContain("Reply sent.");
    expect(again.text).not.toContain("beforeend:#thread");
    expect(await t.db.reply.count({ where: { ticketId: id } })).toBe(1);
    expect(await t.db.ticketEvent.count({ where: { ticketId: id, kind: "reply" } })).toBe(1);
    // Other words, or the same words a while later, are a new message.
    await a.post(`/tickets/${id}/replies`, { body: "Something else" });
    await t.db.reply.updateMany({ where: { ticketId: id }, data: { createdAt: new Date(t.clock.t - 120_000) } });
    await a.post(`/tickets/${id}/replies`, { body: "Sent twice" });
    expect(await t.db.reply.count({ where: { ticketId: id } })).toBe(3);
  });

  it("refuses an empty reply with 422, keeping the page", async () => {
    const id = await open(a);
    const res = await a.post(`/tickets/${id}/replies`, { body: "   " });
    expect(res.status).toBe(422);
    expect(res.text).toContain("Enter a reply.");
    expect(res.text).toContain(valid.description);
    expect(res.text).toMatch(/<title>Error: #\d+ /);
    expect((await a.get(`/tickets/${id}`)).text).not.toContain("<title>Error:");
    const partial = await a.post(`/tickets/${id}/replies`, { body: "" }, { htmx: "partial" });
    expect(partial.status).toBe(422);
    expect(partial.text).toMatch(/^<form id="reply-form"/);
  });

  it("closes and reopens, recording closedAt, as a page and in place", async () => {
    const id = await open(a);
    const closed = await a.post(`/tickets/${id}/close`);
    expect(closed.status).toBe(303);
    let ticket = await t.db.ticket.findUniqueOrThrow({ where: { id } });
    expect(ticket.status).toBe("Closed");
    expect(ticket.closedAt).toBeInstanceOf(Date);
    const page = await a.get(`/tickets/${id}`);
    expect(page.text).toContain("Reopen ticket");
    expect(page.text).toContain(`Ticket #${id} is closed.`);
    const reopened = await a.post(
      `/tickets/${id}/reopen`,
      { version: page.text.match(/name="version" value="(\d+)"/)![1]! },
      { htmx: "partial" },
    );
    expect(reopened.status).toBe(200);
    expect(reopened.text).toMatch(/^<div id="ticket-state"/);
    expect(reopened.text).toContain("Close ticket");
    ticket = await t.db.ticket.findUniqueOrThrow({ where: { id } });
    expect(ticket.status).toBe("Open");
    expect(ticket.closedAt).toBeNull();
    expect((await a.get(`/tickets/${id}`)).text).toContain("changed the status from Closed to Open");
  });

  it("gives the requester Send reply first and Close ticket under it, renewed with every change", async () => {
    const id = await open(a);
    const page = await a.get(`/tickets/${id}`);
    const inMain = page.text.slice(page.text.indexOf('<main id="main"'));
    const main = [...inMain.matchAll(/<button[^>]*>([^<]+)<\/button>/g)].map((m) => m[1]);
    expect(main[0]).toBe("Send reply");
    expect(main.indexOf("Close ticket")).toBeGreaterThan(main.indexOf("Send reply"));
    // With htmx a reply renews the close form out of band, with the ticket's new version.
    const reply = await a.post(`/tickets/${id}/replies`, { body: "More detail" }, { htmx: "partial" });
    expect(reply.text).toContain('<div id="ticket-closure" class="closure" data-hx-swap-oob="true">');
    const version = (await t.db.ticket.findUniqueOrThrow({ where: { id } })).version;
    expect(reply.text).toMatch(new RegExp(`id="ticket-closure"[\\s\\S]*name="version" value="${version}"`));
  });

  it("reopens a closed ticket when its requester replies", async () => {
    const id = await open(a);
    await a.post(`/tickets/${id}/close`);
    await a.post(`/tickets/${id}/replies`, { body: "It is broken again" });
    expect((await t.db.ticket.findUniqueOrThrow({ where: { id } })).status).toBe("Open");
  });

  it("answers a stale close with 409 and the current state, changing nothing", async () => {
    const id = await open(a);
    const page = await a.get(`/tickets/${id}`);
    const version = page.text.match(/name="version" value="(\d+)"/)![1]!;
    await new Promise((r) => setTimeout(r, 5));
    await a.post(`/tickets/${id}/replies`, { body: "Something changed meanwhile" });
    const stale = await a.post(`/tickets/${id}/close`, { version });
    expect(stale.status).toBe(409);
    expect(stale.text).toContain("This ticket changed since you opened it");
    const partial = await a.post(`/tickets/${id}/close`, { version }, { htmx: "partial" });
    expect(partial.status).toBe(409);
    expect(partial.text).toMatch(/^<div id="ticket-state"/);
    expect((await t.db.ticket.findUniqueOrThrow({ where: { id } })).status).toBe("Open");
  });
});

describe("the list", () => {
  let lister: Browser;
  let ids: number[];
  beforeAll(async () => {
    const user = await createUser(t.db, { name: "Lister" });
    lister = await browserAs(t, user);
    ids = [];
    for (let i = 1; i <= 60; i++) {
      const ticket = await t.db.ticket.create({
        data: {
          subject: `Ticket ${i} ${i % 3 === 0 ? "wifi" : "printer"}`,
          description: `Number ${i} ${i % 5 === 0 ? "VPN trouble" : "details"}`,
          priority: "Low",
          status: i % 4 === 0 ? "Closed" : "Open",
          requesterId: user.id,
        },
      });
      ids.push(ticket.id);
    }
  });

  const rowIds = (html: string) => [...html.matchAll(/<td>#(\d+)<\/td>/g)].map((m) => Number(m[1]));
  const nextLink = (html: string) =>
    html.match(/<a href="([^"]+)" data-hx-get=[^>]*rel="next"/)?.[1]?.replaceAll("&amp;", "&");

  async function walk(first: string, htmx = false) {
    const seen: number[] = [];
    let url: string | undefined = first;
    let pages = 0;
    while (url) {
      const res = await lister.get(url, htmx && pages > 0 ? { htmx: "partial", target: "tbody#ticket-rows" } : {});
      expect(res.status).toBe(200);
      seen.push(...rowIds(res.text));
      url = nextLink(res.text);
      pages++;
    }
    return { seen, pages };
  }

  it("pages 60 tickets as 25 + 25 + 10, newest first, no duplicates or gaps", async () => {
    const { seen, pages } = await walk("/tickets");
    expect(pages).toBe(3);
    expect(seen).toEqual([...ids].reverse());
  });

  it("offers the first page again on a later page, keeping the filters", async () => {
    const first = await lister.get("/tickets?status=active");
    expect(first.text).not.toContain(">First page</a>");
    const second = await lister.get(nextLink(first.text)!);
    expect(second.text).toContain('<a href="/tickets?status=active">First page</a>');
    const unfiltered = await lister.get(nextLink((await lister.get("/tickets")).text)!);
    expect(unfiltered.text).toContain('<a href="/tickets">First page</a>');
  });

  it("appends rows for htmx 'load more' and replaces the pager out of band", async () => {
    const first = await lister.get("/tickets");
    const more = await lister.get(nextLink(first.text)!, { htmx: "partial", target: "tbody#ticket-rows" });
    expect(more.text).toMatch(/^<tr>/);
    expect(more.text).toContain('<nav id="pager" class="pager" aria-label="More tickets" data-hx-swap-oob="true">');
    const { seen } = await walk("/tickets", true);
    expect(seen).toEqual([...ids].reverse());
  });

  it("stays stable when a ticket is added between pages", async () => {
    const first = await lister.get("/tickets");
    const user = await t.db.user.findFirstOrThrow({ where: { name: "Lister" } });
    const added = await t.db.ticket.create({
      data: { subject: "Late arrival", description: "Added between pages", requesterId: user.id },
    });
    const second = await lister.get(nextLink(first.text)!);
    const all = [...rowIds(first.text), ...rowIds(second.text)];
    expect(new Set(all).size).toBe(all.length);
    expect(all).not.toContain(added.id);
    expect(rowIds(second.text)[0]).toBe(rowIds(first.text)[24]! - 1);
    await t.db.ticket.delete({ where: { id: added.id } });
  });

  it("combines search, status filter and pagination", async () => {
    const { seen } = await walk("/tickets?q=printer&status=Open");
    const expected = ids.filter((_, i) => (i + 1) % 3 !== 0 && (i + 1) % 4 !== 0).reverse();
    expect(seen).toEqual(expected);
    expect((await walk("/tickets?q=vpn")).seen).toHaveLength(12); // description, any case
    expect((await walk("/tickets?q=WIFI&status=Closed")).seen).toEqual(
      ids.filter((_, i) => (i + 1) % 12 === 0).reverse(),
    );
    expect((await walk("/tickets?status=active")).seen).toEqual(ids.filter((_, i) => (i + 1) % 4 !== 0).reverse());
  });

  it("answers the search box's partial request with the results alone, and full pages otherwise", async () => {
    const partial = await lister.get("/tickets?q=wifi", { htmx: "partial", target: "div#ticket-results" });
    expect(partial.text).toMatch(/^<div id="ticket-results">/);
    expect(partial.headers.get("Vary")).toContain("HX-Request");
    const boosted = await lister.get("/tickets?q=wifi", { htmx: "full" });
    expect(boosted.text).toContain("<html");
    const restore = await lister.get("/tickets?q=wifi", {
      htmx: "partial",
      headers: { "HX-History-Restore-Request": "true" },
    });
    expect(restore.text).toContain("<html");
  });

  it("shows an empty state that says what to do, and ignores bad filters", async () => {
    const fresh = await browserAs(t, await createUser(t.db));
    expect((await fresh.get("/tickets")).text).toContain("open a ticket");
    expect((await fresh.get("/tickets?q=nothing")).text).toContain("No tickets match.");
    for (const q of [
      "?status=Bogus",
      "?cursor=abc",
      "?cursor=1_2_3",
      `?q=${"x".repeat(500)}`,
      "?q=%E0%A4%A",
      "?cursor=99999999999999999999",
    ]) {
      expect((await lister.get(`/tickets${q}`)).status, q).toBe(200);
    }
  });
});

describe("searching for text with %, _ and \\ in it", () => {
  it("matches them as the characters they are, on the list and in the queue, ignoring case", async () => {
    const user = await createUser(t.db, { name: "Searcher" });
    const searcher = await browserAs(t, user);
    const agent = await browserAs(t, await createUser(t.db, { role: "agent" }));
    const subjects = ["Plain words here", "Disk is 100% FULL", "snake_case name", "Path back\\slash", "Ünïcode Straße"];
    for (const subject of subjects) {
      await t.db.ticket.create({ data: { subject, description: "Searched for literally.", requesterId: user.id } });
    }
    const found = async (b: Browser, path: string, q: string) => {
      // The match is marked (<mark>); the subject is whole once the marks are gone.
      const html = (await b.get(`${path}?q=${encodeURIComponent(q)}`)).text.replace(/<\/?mark>/g, "");
      return subjects.filter((s) => html.includes(s));
    };
    for (const path of ["/tickets", "/queue"]) {
      const b = path === "/tickets" ? searcher : agent;
      expect(await found(b, path, "_"), path).toEqual(["snake_case name"]);
      expect(await found(b, path, "%"), path).toEqual(["Disk is 100% FULL"]);
      expect(await found(b, path, "0% f"), path).toEqual(["Disk is 100% FULL"]);
      expect(await found(b, path, "\\"), path).toEqual(["Path back\\slash"]);
      expect(await found(b, path, "e_n"), path).toEqual([]); // as a wildcard it would match "case name"
      expect(await found(b, path, "straße"), path).toEqual(["Ünïcode Straße"]);
    }
  });
});
