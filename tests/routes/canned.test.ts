import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fill, unknownPlaceholders } from "../../src/canned/replies.js";
import type { CurrentUser } from "../../src/env.js";
import { openTicket } from "../../src/tickets/open.js";
import { type Browser, browserAs, createUser, fieldValue, section, type TestApp, testApp } from "../helpers/app.js";

// Canned replies: kept at /canned (shared by admins, personal by their owner), put into the composer
// with their placeholders filled for the ticket, after what was typed or instead of it; requesters
// never reach them, and an agent never sees another's personal ones.

let t: TestApp;
let adminUser: CurrentUser, agentUser: CurrentUser, otherUser: CurrentUser, requesterUser: CurrentUser;
let admin: Browser, agent: Browser, other: Browser, requester: Browser;
let ticketId: number;

beforeAll(async () => {
  t = await testApp({ MAIL_FROM: "City Library Help <help@library.example>" });
  adminUser = await createUser(t.db, { role: "admin", name: "Ada Admin" });
  agentUser = await createUser(t.db, { role: "agent", name: "Alex Agent" });
  otherUser = await createUser(t.db, { role: "agent", name: "Oz Other" });
  requesterUser = await createUser(t.db, { name: "Rita Mae Requester" });
  admin = await browserAs(t, adminUser);
  agent = await browserAs(t, agentUser);
  other = await browserAs(t, otherUser);
  requester = await browserAs(t, requesterUser);
  ticketId = (
    await openTicket(
      t.deps,
      requesterUser,
      { subject: "Card does not scan", description: "At the kiosk.", priority: "Medium" },
      undefined,
    )
  ).id;
});
afterAll(() => t.close());

const idOf = async (title: string) => (await t.db.cannedReply.findFirstOrThrow({ where: { title } })).id;

describe("placeholders", () => {
  it("fills the known ones and names the unknown, each once", () => {
    const w = { requesterName: "Rita Mae", ticketId: 7, subject: "Wifi", agentName: "Alex", desk: "Help" };
    expect(
      fill(
        "Dear {{requester.first_name}} ({{ requester.name }}), #{{ticket.id}} {{ticket.subject}}. {{agent.name}}, {{desk.name}}",
        w,
      ),
    ).toBe("Dear Rita (Rita Mae), #7 Wifi. Alex, Help");
    expect(unknownPlaceholders("{{customer}} {{ticket.id}} {{customer}} {{ agent.email }}")).toEqual([
      "{{customer}}",
      "{{ agent.email }}",
    ]);
    expect(unknownPlaceholders("no placeholders, {single} braces")).toEqual([]);
  });
});

describe("keeping canned replies", () => {
  it("an admin writes a shared one; an agent a personal one; unknown placeholders are refused next to the text", async () => {
    const bad = await agent.post("/canned", {
      title: "Greeting",
      body: "Hello {{customer}}, about {{ticket.subject}}",
    });
    expect(bad.status).toBe(422);
    expect(bad.text).toContain("<title>Error: New canned reply · Hyperdesk</title>");
    expect(section(bad.text, "body-error")).toContain("This placeholder is not known: {{customer}}.");
    expect(fieldValue(bad.text, "body")).toBe("Hello {{customer}}, about {{ticket.subject}}");
    expect(await t.db.cannedReply.count()).toBe(0);
    const empty = await agent.post("/canned", { title: " ", body: "" });
    expect(section(empty.text, "title-error")).toContain("Enter a title.");
    expect(section(empty.text, "body-error")).toContain("Enter the text.");

    const shared = await admin.post("/canned", {
      title: "Card reset",
      body: "Dear {{requester.first_name}}, your card for #{{ticket.id}} is reset. {{agent.name}}, {{desk.name}}",
      shared: "1",
    });
    expect(shared.status).toBe(303);
    expect(shared.location).toBe("/canned");
    // An agent cannot make a shared one, whatever the form says.
    expect(
      (await agent.post("/canned", { title: "Mine only", body: "Thanks, {{requester.name}}.", shared: "1" })).status,
    ).toBe(303);
    expect(await t.db.cannedReply.findFirstOrThrow({ where: { title: "Mine only" } })).toMatchObject({
      ownerId: agentUser.id,
    });
    const list = await agent.get("/canned");
    expect(list.text).toContain("Card reset");
    expect(list.text).toContain("Mine only");
    expect(section(list.text, `canned-${await idOf("Card reset")}`)).not.toContain("Edit");
    expect(section(list.text, `canned-${await idOf("Mine only")}`)).toContain("Edit");
    expect((await agent.get("/canned?q=RESET")).text).not.toContain("Mine only");
  });

  it("answers the wrong person: requesters 403, another agent's personal one 404, a shared one 403 to agents", async () => {
    expect((await requester.get("/canned")).status).toBe(403);
    expect((await requester.post("/canned", { title: "x", body: "y" })).status).toBe(403);
    const mine = await idOf("Mine only");
    const sharedId = await idOf("Card reset");
    expect((await other.get(`/canned/${mine}`)).status).toBe(404);
    expect((await other.post(`/canned/${mine}`, { title: "Stolen", body: "x" })).status).toBe(404);
    expect((await other.post(`/canned/${mine}/delete`)).status).toBe(404);
    expect((await other.get("/canned")).text).not.toContain("Mine only");
    expect((await agent.post(`/canned/${sharedId}`, { title: "Changed", body: "x" })).status).toBe(403);
    expect((await agent.post(`/canned/${sharedId}/delete`)).status).toBe(403);
    expect((await t.db.cannedReply.findUniqueOrThrow({ where: { id: sharedId } })).title).toBe("Card reset");
    expect((await admin.get("/canned/999999")).status).toBe(404);
  });

  it("its owner edits and deletes a personal one", async () => {
    const id = await t.db.cannedReply.create({ data: { title: "Temp", body: "Soon.", ownerId: agentUser.id } });
    expect((await agent.get(`/canned/${id.id}`)).status).toBe(200);
    expect((await agent.post(`/canned/${id.id}`, { title: "Temp 2", body: "Later." })).status).toBe(303);
    expect((await agent.post(`/canned/${id.id}/delete`)).status).toBe(303);
    expect(await t.db.cannedReply.count({ where: { id: id.id } })).toBe(0);
  });
});

describe("a canned reply in the composer", () => {
  it("offers the shared ones and the agent's own, never to requesters", async () => {
    const page = await agent.get(`/tickets/${ticketId}`);
    const picker = section(page.text, "canned");
    expect(picker).toContain("Card reset");
    expect(picker).toContain("Mine only");
    expect(section((await other.get(`/tickets/${ticketId}`)).text, "canned")).not.toContain("Mine only");
    const own = await requester.get(`/tickets/${ticketId}`);
    expect(own.text).not.toContain('name="canned"');
    expect(
      (await requester.post(`/tickets/${ticketId}/canned`, { canned: String(await idOf("Card reset")) })).status,
    ).toBe(403);
  });

  it("without JavaScript: the page comes back with the text filled after what was typed, or instead of it", async () => {
    const id = String(await idOf("Card reset"));
    const after = await agent.post(`/tickets/${ticketId}/canned`, {
      body: "Hello!  ",
      kind: "reply",
      canned: id,
      mode: "append",
    });
    expect(after.status).toBe(200);
    expect(fieldValue(after.text, "body")).toBe(
      `Hello!\n\nDear Rita, your card for #${ticketId} is reset. Alex Agent, City Library Help`,
    );
    const instead = await agent.post(`/tickets/${ticketId}/canned`, {
      body: "Hello!",
      kind: "note",
      canned: id,
      mode: "replace",
    });
    expect(fieldValue(instead.text, "body")).toBe(
      `Dear Rita, your card for #${ticketId} is reset. Alex Agent, City Library Help`,
    );
    expect(instead.text).toMatch(/id="kind-note"[^>]*checked/);
    // Nothing was sent or saved.
    expect(await t.db.reply.count({ where: { ticketId } })).toBe(0);
  });

  it("with htmx: the composer alone comes back; no choice or another's reply keeps the text with a message", async () => {
    const id = String(await idOf("Card reset"));
    const res = await agent.post(
      `/tickets/${ticketId}/canned`,
      { body: "", canned: id, mode: "append" },
      { htmx: "partial" },
    );
    expect(res.status).toBe(200);
    expect(res.text).toMatch(/^<form id="reply-form"/);
    expect(fieldValue(res.text, "body")).toContain("Dear Rita");
    const none = await agent.post(`/tickets/${ticketId}/canned`, { body: "Keep me", canned: "" }, { htmx: "partial" });
    expect(none.status).toBe(422);
    expect(section(none.text, "canned-error")).toContain("Choose a canned reply first.");
    expect(fieldValue(none.text, "body")).toBe("Keep me");
    const foreign = await other.post(`/tickets/${ticketId}/canned`, {
      body: "Mine",
      canned: String(await idOf("Mine only")),
    });
    expect(foreign.status).toBe(422);
    expect(fieldValue(foreign.text, "body")).toBe("Mine");
  });
});
