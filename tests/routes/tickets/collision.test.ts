import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CurrentUser } from "../../../src/env.js";
import { openTicket } from "../../../src/tickets/open.js";
import { type Browser, browserAs, createUser, fieldValue, section, type TestApp, testApp } from "../../helpers/app.js";

// Seeing others' work: a reply form carries the last history event its page showed; a public reply
// sent after someone else answered or changed the ticket is held (409), the text kept, what is new
// listed, one button to send it anyway. JS on, the page asks for "N new updates" (a small fragment).

let t: TestApp;
let requesterUser: CurrentUser;
let ann: Browser, bob: Browser, requester: Browser, stranger: Browser;

const open = async (subject: string) =>
  (await openTicket(t.deps, requesterUser, { subject, description: "At the kiosk.", priority: "Medium" }, undefined))
    .id;
/** The mark the reply form of this page carries. */
const seenIn = (html: string) => fieldValue(html, "reply-seen");
const replies = async (id: number) =>
  (await t.db.reply.findMany({ where: { ticketId: id }, orderBy: { id: "asc" } })).map((r) => r.body);

beforeAll(async () => {
  t = await testApp();
  requesterUser = await createUser(t.db, { name: "Rita Requester" });
  ann = await browserAs(t, await createUser(t.db, { role: "agent", name: "Ann Agent" }));
  bob = await browserAs(t, await createUser(t.db, { role: "agent", name: "Bob Agent" }));
  requester = await browserAs(t, requesterUser);
  stranger = await browserAs(t, await createUser(t.db, { name: "Sam Stranger" }));
});
afterAll(() => t.close());

describe("two agents answering one ticket", () => {
  it("holds the second reply (JS off): 409, the first answer shown, the text kept, and Send anyway sends it", async () => {
    const id = await open("Printer jams");
    const annPage = (await ann.get(`/tickets/${id}`)).text;
    const bobPage = (await bob.get(`/tickets/${id}`)).text;
    const annSeen = seenIn(annPage)!;
    expect(annSeen).toMatch(/^\d+$/);
    expect(seenIn(bobPage)).toBe(annSeen);

    const first = await bob.post(`/tickets/${id}/replies`, { body: "Try the green lever.", seen: annSeen });
    expect(first.status).toBe(303);

    const held = await ann.post(`/tickets/${id}/replies`, {
      body: "Open the side door & pull the paper.",
      seen: annSeen,
      set_status: "Waiting",
    });
    expect(held.status).toBe(409);
    expect(await replies(id)).toEqual(["Try the green lever."]);
    const notice = section(held.text, "held");
    expect(notice).toContain("Not sent yet: an update came in while you were writing.");
    expect(notice).toContain("Bob Agent</bdi> replied");
    // His reply took the ticket too: one change, one update, two lines.
    expect(notice).toContain("Bob Agent</bdi> assigned the ticket to Bob Agent");
    // "Send anyway" does what the pressed button would have: send and set Waiting.
    expect(notice).toMatch(/<button type="submit" name="set_status" value="Waiting">Send anyway<\/button>/);
    expect(fieldValue(held.text, "body")).toBe("Open the side door &amp; pull the paper.");
    expect(section(held.text, "thread")).toContain("Try the green lever.");
    // The form now carries the new mark: sending it again goes through.
    const newSeen = seenIn(held.text)!;
    expect(Number(newSeen)).toBeGreaterThan(Number(annSeen));
    expect(held.text).toContain("<title>");

    const sent = await ann.post(`/tickets/${id}/replies`, {
      body: "Open the side door & pull the paper.",
      seen: newSeen,
      set_status: "Waiting",
    });
    expect(sent.status).toBe(303);
    expect(await replies(id)).toEqual(["Try the green lever.", "Open the side door & pull the paper."]);
    expect((await t.db.ticket.findUniqueOrThrow({ where: { id } })).status).toBe("Waiting");
  });

  it("holds a reply for a change of status, priority or assignee, and for a colleague's note", async () => {
    for (const [what, change, words] of [
      ["status", { status: "In progress" }, "changed the status"],
      ["priority", { priority: "Urgent" }, "changed the priority"],
      ["note", undefined, "added an internal note"],
    ] as const) {
      const id = await open(`Changed: ${what}`);
      const seen = seenIn((await ann.get(`/tickets/${id}`)).text)!;
      const bobPage = (await bob.get(`/tickets/${id}`)).text;
      const version = bobPage.match(/name="version" value="(\d+)"/)![1]!;
      const fields: Record<string, string> = { status: "Open", priority: "Medium", assignee: "", version };
      if (change) expect((await bob.post(`/tickets/${id}/triage`, { ...fields, ...change })).status).toBe(303);
      else
        expect((await bob.post(`/tickets/${id}/replies`, { body: "Mine, calling them.", as: "note" })).status).toBe(
          303,
        );
      const held = await ann.post(`/tickets/${id}/replies`, { body: "On it.", seen });
      expect(held.status, what).toBe(409);
      expect(section(held.text, "held"), what).toContain(words);
    }
  });

  it("does not hold for the agent's own changes, a tag, or a note of their own; a note is never held", async () => {
    const id = await open("Own changes");
    const page = (await ann.get(`/tickets/${id}`)).text;
    const seen = seenIn(page)!;
    const version = page.match(/name="version" value="(\d+)"/)![1]!;
    await ann.post(`/tickets/${id}/triage`, { status: "In progress", priority: "High", assignee: "", version });
    await bob.post(`/tickets/${id}/tags`, { name: "printer" });
    await ann.post(`/tickets/${id}/replies`, { body: "A note of mine.", as: "note", seen });
    expect((await ann.post(`/tickets/${id}/replies`, { body: "Sent straight.", seen })).status).toBe(303);
    // A note goes in whatever others did: it reaches no one outside the desk.
    await bob.post(`/tickets/${id}/replies`, { body: "Bob answers." });
    expect((await ann.post(`/tickets/${id}/replies`, { body: "A note after Bob.", as: "note", seen })).status).toBe(
      303,
    );
    expect(await replies(id)).toEqual(["A note of mine.", "Sent straight.", "Bob answers.", "A note after Bob."]);
  });

  it("in place (htmx): the composer comes back held, with the thread, state and history renewed out of band", async () => {
    const id = await open("In place");
    const seen = seenIn((await ann.get(`/tickets/${id}`)).text)!;
    await bob.post(`/tickets/${id}/replies`, { body: "Bob was first.", seen });
    const held = await ann.post(
      `/tickets/${id}/replies`,
      { body: "Ann second.", seen, after: "next" },
      { htmx: "partial", target: "reply-form" },
    );
    expect(held.status).toBe(409);
    expect(held.text).toMatch(/^<form id="reply-form"/);
    expect(section(held.text, "held")).toContain('name="after" value="next">Send anyway');
    expect(fieldValue(held.text, "body")).toBe("Ann second.");
    expect(section(held.text, "thread")).toContain('data-hx-swap-oob="true"');
    expect(section(held.text, "thread")).toContain("Bob was first.");
    expect(section(held.text, "history")).toContain("Bob Agent</bdi> replied");
    expect(section(held.text, "ticket-state")).toContain('data-hx-swap-oob="true"');
    expect(section(held.text, "updates")).toContain(`seen=${seenIn(held.text)}`);
    expect(held.text).toContain('id="no-replies" data-hx-swap-oob="delete"');
    // The files chosen stay chosen (htmx keeps the input), so no "choose again".
    expect(held.text).not.toContain("Choose your files again");
    expect(await replies(id)).toEqual(["Bob was first."]);
  });

  it("two replies at the same moment: one goes, the other is held (the check is inside the write)", async () => {
    const id = await open("Same moment");
    const seen = seenIn((await ann.get(`/tickets/${id}`)).text)!;
    await bob.get(`/tickets/${id}`);
    const [a, b] = await Promise.all([
      ann.post(`/tickets/${id}/replies`, { body: "Ann at once.", seen }),
      bob.post(`/tickets/${id}/replies`, { body: "Bob at once.", seen }),
    ]);
    expect([a.status, b.status].sort()).toEqual([303, 409]);
    expect(await replies(id)).toHaveLength(1);
  });
});

describe("the requester", () => {
  it("is told of the desk's answer before theirs goes, but not of the desk's notes or priority", async () => {
    const id = await open("Requester side");
    const seen = seenIn((await requester.get(`/tickets/${id}`)).text)!;
    await ann.post(`/tickets/${id}/replies`, { body: "Internal: check the toner.", as: "note" });
    const page = (await ann.get(`/tickets/${id}`)).text;
    const version = page.match(/name="version" value="(\d+)"/)![1]!;
    await ann.post(`/tickets/${id}/triage`, { status: "Open", priority: "High", assignee: "", version });
    expect((await requester.post(`/tickets/${id}/replies`, { body: "Any news?", seen })).status).toBe(303);

    const later = seenIn((await requester.get(`/tickets/${id}`)).text)!;
    await ann.post(`/tickets/${id}/replies`, { body: "Fixed it, please try.", seen: later });
    const held = await requester.post(`/tickets/${id}/replies`, { body: "Still broken?", seen: later });
    expect(held.status).toBe(409);
    expect(section(held.text, "held")).toContain("Ann Agent</bdi> replied");
    expect(section(held.text, "held")).not.toContain("internal");
    expect(held.text).not.toContain("check the toner");
    expect(section(held.text, "held")).toMatch(/name="as" value="reply">Send anyway/);
  });

  it("without a mark (mail, an old page, a script) a reply goes as before", async () => {
    const id = await open("No mark");
    await ann.post(`/tickets/${id}/replies`, { body: "Desk answer." });
    expect((await requester.post(`/tickets/${id}/replies`, { body: "Thanks." })).status).toBe(303);
    expect((await requester.post(`/tickets/${id}/replies`, { body: "Bad mark.", seen: "x" })).status).toBe(303);
  });
});

describe("the polled updates", () => {
  it("counts others' news since the mark in a small fragment, and Show brings them in with the new mark", async () => {
    const id = await open("Polled");
    const seen = seenIn((await ann.get(`/tickets/${id}`)).text)!;
    const none = await ann.get(`/tickets/${id}/updates?seen=${seen}`, { htmx: "partial", target: "updates" });
    expect(none.status).toBe(200);
    expect(none.headers.get("Cache-Control")).toBe("no-store");
    expect(none.text).toBe(
      `<div id="updates" class="updates" role="status" data-poll="/tickets/${id}/updates?seen=${seen}"></div>`,
    );
    await bob.post(`/tickets/${id}/replies`, { body: "Bob replied." });
    t.clock.advance(1000);
    await bob.post(`/tickets/${id}/replies`, { body: "Bob's note.", as: "note" });
    const two = await ann.get(`/tickets/${id}/updates?seen=${seen}`, { htmx: "partial", target: "updates" });
    expect(two.text).toContain("2 new updates since you opened this page.");
    expect(two.text.length).toBeLessThan(600);
    // The requester hears of the reply alone.
    const rSeen = seenIn((await requester.get(`/tickets/${id}`)).text)!;
    expect(Number(rSeen)).toBeLessThan(Number(seenIn((await ann.get(`/tickets/${id}`)).text)));
    const own = await requester.get(`/tickets/${id}/updates?seen=${seen}`, { htmx: "partial" });
    expect(own.text).toContain("1 new update since you opened this page.");

    const shown = await ann.get(`/tickets/${id}/updates?seen=${seen}&show=1`, { htmx: "partial", target: "updates" });
    expect(shown.text).toMatch(/^<div id="updates"/);
    expect(section(shown.text, "thread")).toContain("Bob replied.");
    expect(section(shown.text, "thread")).toContain("Bob&#39;s note.");
    const mark = section(shown.text, "reply-seen");
    expect(mark).toContain('data-hx-swap-oob="true"');
    expect(Number(fieldValue(shown.text, "reply-seen"))).toBeGreaterThan(Number(seen));
  });

  it("JS off never asks: a browser opening the address gets the ticket; others' tickets are 404", async () => {
    const id = await open("Address");
    expect((await ann.get(`/tickets/${id}/updates?seen=1`)).status).toBe(303);
    expect((await ann.get(`/tickets/${id}/updates`, { htmx: "partial" })).status).toBe(303);
    expect((await stranger.get(`/tickets/${id}/updates?seen=1`, { htmx: "partial" })).status).toBe(404);
    expect((await new (ann.constructor as typeof Browser)(t).get(`/tickets/${id}/updates?seen=1`)).status).toBe(303);
  });
});
