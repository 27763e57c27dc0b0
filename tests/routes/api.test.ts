import { Validator } from "@seriousme/openapi-schema-validator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createToken } from "../../src/api/tokens.js";
import type { CurrentUser } from "../../src/env.js";
import { EVENT_TYPES } from "../../src/webhooks/events.js";
import { type Browser, browserAs, createUser, section, type TestApp, testApp } from "../helpers/app.js";
import { EXE, PDF, PNG } from "../helpers/files.js";

// The JSON API's first slice (#29): personal access tokens made on /account/tokens (shown once,
// stored hashed, scopes, expiry, last use, revoke), Bearer-only authentication (cookies never
// accepted there, tokens never on the pages), problem details for every error, /me, the ticket
// list and one ticket with the same rules as the pages, and the OpenAPI document of every route.

let t: TestApp;
let rita: CurrentUser, omar: CurrentUser, agentUser: CurrentUser, adminUser: CurrentUser;
let asRita: Browser;
let ritaTicket: number, omarTicket: number;

const api = (path: string, token?: string, headers: Record<string, string> = {}) =>
  t.app.request(`/api/v1${path}`, { headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), ...headers } });
const tokenFor = async (
  user: CurrentUser,
  scopes: ("tickets:read" | "tickets:write" | "admin")[] = ["tickets:read"],
) => {
  const made = await createToken(t.deps, user, { name: "test", scopes, expiresInDays: 30 });
  if (typeof made !== "object") throw new Error(made);
  return made.token;
};

beforeAll(async () => {
  t = await testApp();
  rita = await createUser(t.db, { name: "Rita Requester" });
  omar = await createUser(t.db, { name: "Omar Other" });
  agentUser = await createUser(t.db, { role: "agent", name: "Alex Agent" });
  adminUser = await createUser(t.db, { role: "admin", name: "Ada Admin" });
  asRita = await browserAs(t, rita);
  const open = async (requesterId: number, subject: string) =>
    (await t.db.ticket.create({ data: { subject, description: "Details of it.", requesterId } })).id;
  ritaTicket = await open(rita.id, "Rita's printer");
  omarTicket = await open(omar.id, "Omar's badge");
  await t.db.reply.create({
    data: { ticketId: ritaTicket, authorId: agentUser.id, body: "Secret note", internal: true },
  });
  await t.db.reply.create({ data: { ticketId: ritaTicket, authorId: agentUser.id, body: "Public answer" } });
});
afterAll(() => t.close());

describe("tokens on /account/tokens", () => {
  it("makes one (shown once, stored hashed), lists it with its use, and revokes it", async () => {
    const page = await asRita.get("/account/tokens");
    expect(page.status).toBe(200);
    expect(page.text).toContain("You have no API tokens.");
    // Only admins are offered the admin scope.
    expect(page.text).not.toContain('value="admin"');
    const made = await asRita.post("/account/tokens", { name: "Reporting", scopes: "tickets:read", expires: "30" });
    expect(made.status).toBe(200);
    const token = section(made.text, "new-token").match(/hd_[A-Za-z0-9_-]{43}/)?.[0];
    expect(token).toBeDefined();
    const row = await t.db.apiToken.findFirstOrThrow({ where: { userId: rita.id } });
    expect(row.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(row)).not.toContain(token!);
    expect(row.expiresAt!.getTime() - t.clock.now().getTime()).toBe(30 * 86_400_000);
    // Shown once: the page again does not hold it.
    expect((await asRita.get("/account/tokens")).text).not.toContain(token!);

    const me = await api("/me", token);
    expect(me.status).toBe(200);
    expect(await me.json()).toEqual({
      id: rita.id,
      name: "Rita Requester",
      email: rita.email,
      role: "requester",
      scopes: ["tickets:read"],
    });
    expect((await asRita.get("/account/tokens")).text).toContain("last used");

    const revoked = await asRita.post(`/account/tokens/${row.id}/revoke`);
    expect(revoked.status).toBe(303);
    expect((await api("/me", token)).status).toBe(401);
    // Not hers, or gone already: 404.
    expect((await asRita.post(`/account/tokens/${row.id}/revoke`)).status).toBe(404);
    const others = await tokenFor(omar);
    const omarRow = await t.db.apiToken.findFirstOrThrow({ where: { userId: omar.id } });
    expect((await asRita.post(`/account/tokens/${omarRow.id}/revoke`)).status).toBe(404);
    expect((await api("/me", others)).status).toBe(200);
  });

  it("sends a form without a name or a scope, or with a bad expiry or the admin scope, back (422)", async () => {
    for (const [form, message] of [
      [{ name: "", scopes: "tickets:read", expires: "30" }, "Enter a name for the token."],
      [{ name: "No scope", expires: "30" }, "Choose at least one thing it may do."],
      [{ name: "Odd expiry", scopes: "tickets:read", expires: "7" }, "Choose one of the offered expiries."],
      [{ name: "Admin", scopes: "admin", expires: "30" }, "Only admins may give a token"],
    ] as const) {
      const res = await asRita.post("/account/tokens", form);
      expect(res.status, message).toBe(422);
      expect(res.text).toContain(message);
    }
    expect(await t.db.apiToken.count({ where: { userId: rita.id, revokedAt: null } })).toBe(0);
  });
});

describe("authentication", () => {
  it("answers 401 problem details without a token, with a wrong, revoked or expired one, or a disabled owner", async () => {
    const none = await api("/me");
    expect(none.status).toBe(401);
    expect(none.headers.get("Content-Type")).toBe("application/problem+json");
    expect(none.headers.get("WWW-Authenticate")).toContain("Bearer");
    expect(await none.json()).toMatchObject({ status: 401, title: "Unauthorized" });
    expect((await api("/me", "hd_not-a-real-token")).status).toBe(401);
    const expiring = await createToken(t.deps, rita, { name: "short", scopes: ["tickets:read"], expiresInDays: 30 });
    if (typeof expiring !== "object") throw new Error(expiring);
    t.clock.advance(31 * 86_400_000);
    expect((await api("/me", expiring.token)).status).toBe(401);
    const user = await createUser(t.db, { name: "Soon Disabled" });
    const token = await tokenFor(user);
    expect((await api("/me", token)).status).toBe(200);
    await t.db.user.update({ where: { id: user.id }, data: { disabledAt: new Date() } });
    expect((await api("/me", token)).status).toBe(401);
  });

  it("never takes a session cookie on the API, nor a token on the pages", async () => {
    const cookie = await api("/me", undefined, { Cookie: asRita.cookieHeader() });
    expect(cookie.status).toBe(401);
    const token = await tokenFor(rita);
    const page = await t.app.request("/tickets", { headers: { Authorization: `Bearer ${token}` }, redirect: "manual" });
    expect(page.status).toBe(303);
    expect(page.headers.get("Location")).toContain("/login");
  });

  it("follows the owner's role as it is now: an agent made a requester sees only their own", async () => {
    const agent = await createUser(t.db, { role: "agent", name: "Demoted Agent" });
    const token = await tokenFor(agent);
    expect((await api(`/tickets/${omarTicket}`, token)).status).toBe(200);
    await t.db.user.update({ where: { id: agent.id }, data: { role: "requester" } });
    expect((await api(`/tickets/${omarTicket}`, token)).status).toBe(404);
  });
});

describe("tickets", () => {
  it("lists a requester's own tickets and a staff member's all, newest first, with a cursor", async () => {
    const ritaList = (await (await api("/tickets", await tokenFor(rita))).json()) as { tickets: { id: number }[] };
    expect(ritaList.tickets.map((x) => x.id)).toEqual([ritaTicket]);
    const staffToken = await tokenFor(agentUser);
    for (let i = 0; i < 26; i++)
      await t.db.ticket.create({ data: { subject: `Bulk ${i}`, description: "Many.", requesterId: omar.id } });
    const first = (await (await api("/tickets", staffToken)).json()) as { tickets: { id: number }[]; next: string };
    expect(first.tickets).toHaveLength(25);
    expect(first.next).toBeTruthy();
    const second = (await (await api(`/tickets?cursor=${first.next}`, staffToken)).json()) as {
      tickets: { id: number }[];
      next: string | null;
    };
    const all = [...first.tickets, ...second.tickets].map((x) => x.id);
    expect(new Set(all).size).toBe(all.length);
    expect(all).toEqual([...all].sort((a, b) => b - a));
    expect(all).toContain(ritaTicket);
    expect(all).toContain(omarTicket);
  });

  it("gives one ticket as its owner sees it: no notes for a requester, 404 for another's", async () => {
    const own = await api(`/tickets/${ritaTicket}`, await tokenFor(rita));
    expect(own.status).toBe(200);
    const body = (await own.json()) as { messages: { body: string; internal: boolean }[]; subject: string };
    expect(body.subject).toBe("Rita's printer");
    expect(body.messages.map((m) => m.body)).toEqual(["Public answer"]);
    const staff = (await (await api(`/tickets/${ritaTicket}`, await tokenFor(agentUser))).json()) as {
      messages: { body: string; internal: boolean }[];
    };
    expect(staff.messages.map((m) => [m.body, m.internal])).toEqual([
      ["Secret note", true],
      ["Public answer", false],
    ]);
    const other = await api(`/tickets/${omarTicket}`, await tokenFor(rita));
    expect(other.status).toBe(404);
    expect(other.headers.get("Content-Type")).toBe("application/problem+json");
  });

  it("refuses a token without tickets:read (403) and input that does not fit (422, per field)", async () => {
    const adminOnly = await tokenFor(adminUser, ["admin"]);
    const refused = await api("/tickets", adminOnly);
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({
      status: 403,
      detail: "This token does not have the tickets:read scope.",
    });
    const token = await tokenFor(agentUser);
    const bad = await api("/tickets/abc", token);
    expect(bad.status).toBe(422);
    const problem = (await bad.json()) as { errors: { field: string }[] };
    expect(problem.errors[0]!.field).toBe("id");
    expect((await api(`/tickets?q=${"x".repeat(201)}`, token)).status).toBe(422);
    const missing = await api("/nothing-here", token);
    expect(missing.status).toBe(404);
    expect(missing.headers.get("Content-Type")).toBe("application/problem+json");
  });
});

/** A JSON write with a token. */
const send = (method: string, path: string, token: string, body: unknown, headers: Record<string, string> = {}) =>
  t.app.request(`/api/v1${path}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });

describe("changes through the API", () => {
  it("opens a ticket (201, Location, ETag) with its history and mail, by the pages' rules", async () => {
    const token = await tokenFor(rita, ["tickets:read", "tickets:write"]);
    const res = await send("POST", "/tickets", token, {
      subject: "Scanner by API",
      description: "It scans blank pages.",
    });
    expect(res.status).toBe(201);
    const body = (await res.json()) as { id: number; status: string; priority: string; version: number };
    expect(res.headers.get("Location")).toMatch(new RegExp(`/api/v1/tickets/${body.id}$`));
    expect(res.headers.get("ETag")).toBe(`"${body.version}"`);
    expect([body.status, body.priority]).toEqual(["Open", "Medium"]);
    const row = await t.db.ticket.findUniqueOrThrow({ where: { id: body.id } });
    expect(row.requesterId).toBe(rita.id);
    expect(await t.db.ticketEvent.count({ where: { ticketId: body.id, kind: "created" } })).toBe(1);
    // Read-only tokens may not; what does not fit is 422 by field; not JSON 415; too big 413.
    expect((await send("POST", "/tickets", await tokenFor(rita), { subject: "x", description: "y" })).status).toBe(403);
    const bad = await send("POST", "/tickets", token, { subject: "x", description: "Long enough text." });
    expect(bad.status).toBe(422);
    expect(((await bad.json()) as { errors: { field: string }[] }).errors.map((e) => e.field)).toEqual(["subject"]);
    const form = await t.app.request("/api/v1/tickets", {
      method: "POST",
      headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/x-www-form-urlencoded" },
      body: "subject=Hello+there&description=Some+long+text",
    });
    expect(form.status).toBe(415);
    const big = await send("POST", "/tickets", token, { subject: "Big", description: "x".repeat(70_000) });
    expect(big.status).toBe(413);
    expect(big.headers.get("Content-Type")).toBe("application/problem+json");
    // Sent in chunks, without a length: stopped as it arrives, too.
    const chunk = new TextEncoder().encode(`{"subject":"Chunked","description":"${"y".repeat(20_000)}`);
    const stream = new ReadableStream({
      start(controller) {
        for (let i = 0; i < 5; i++) controller.enqueue(chunk);
        controller.close();
      },
    });
    const chunked = await t.app.request("/api/v1/tickets", {
      method: "POST",
      headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
      body: stream,
      duplex: "half",
    } as RequestInit);
    expect(chunked.status).toBe(413);
  });

  it("opens a ticket with files as multipart/form-data, by the page's file rules, once per Idempotency-Key", async () => {
    const token = await tokenFor(rita, ["tickets:read", "tickets:write"]);
    const form = (files: [Buffer, string][], extra: Record<string, string> = {}) => {
      const body = new FormData();
      body.set("subject", "Screen by API");
      body.set("description", "The screen flickers, photo attached.");
      for (const [k, v] of Object.entries(extra)) body.set(k, v);
      for (const [bytes, name] of files) body.append("files", new File([bytes as BlobPart], name));
      return body;
    };
    const post = (body: FormData, headers: Record<string, string> = {}) =>
      t.app.request("/api/v1/tickets", {
        method: "POST",
        headers: { Authorization: `Bearer ${token}`, ...headers },
        body,
      });
    const made = await post(
      form([
        [PNG, "flicker.png"],
        [PDF, "manual.pdf"],
      ]),
      { "Idempotency-Key": "with-files-1" },
    );
    expect(made.status).toBe(201);
    const ticket = (await made.json()) as { id: number; files: { name: string; type: string }[] };
    expect(ticket.files.map((f) => [f.name, f.type])).toEqual([
      ["flicker.png", "image/png"],
      ["manual.pdf", "application/pdf"],
    ]);
    // The same form again with the key: the same ticket, not a second (the boundary differs, the fingerprint does not).
    const again = await post(
      form([
        [PNG, "flicker.png"],
        [PDF, "manual.pdf"],
      ]),
      { "Idempotency-Key": "with-files-1" },
    );
    expect(again.headers.get("Idempotent-Replayed")).toBe("true");
    expect(((await again.json()) as { id: number }).id).toBe(ticket.id);
    expect(await t.db.ticket.count({ where: { subject: "Screen by API" } })).toBe(1);
    // A program the desk does not take: 422 on the files field, nothing opened.
    const refused = await post(form([[EXE, "setup.exe"]]));
    expect(refused.status).toBe(422);
    expect(((await refused.json()) as { errors: { field: string }[] }).errors[0]!.field).toBe("files");
    const short = await post(form([], { subject: "x" }));
    expect(short.status).toBe(422);
    expect(await t.db.ticket.count({ where: { subject: "Screen by API" } })).toBe(1);
    // Past what a message's files may be: 413 before it is read.
    const big = await post(form([[Buffer.alloc(t.config.attachments.maxMessageBytes + 200_000, 1), "big.bin"]]));
    expect(big.status).toBe(413);
    // Multipart anywhere else: 415.
    const elsewhere = await t.app.request(`/api/v1/tickets/${ticket.id}/messages`, {
      method: "POST",
      headers: { Authorization: `Bearer ${token}` },
      body: form([]),
    });
    expect(elsewhere.status).toBe(415);
    // The files come back through the API for their owner.
    const detail = (await (await api(`/tickets/${ticket.id}`, token)).json()) as { files: { id: number }[] };
    const file = await api(`/tickets/${ticket.id}/files/${detail.files[0]!.id}`, token);
    expect(Buffer.from(await file.arrayBuffer()).equals(PNG)).toBe(true);
  });

  it("gives the first answer again for the same Idempotency-Key, even two at once; another body with it is 422", async () => {
    const token = await tokenFor(omar, ["tickets:read", "tickets:write"]);
    const ticket = { subject: "Idempotent printer", description: "Prints everything twice." };
    const key = { "Idempotency-Key": "retry-1" };
    const first = await send("POST", "/tickets", token, ticket, key);
    const again = await send("POST", "/tickets", token, ticket, key);
    expect([first.status, again.status]).toEqual([201, 201]);
    expect(again.headers.get("Idempotent-Replayed")).toBe("true");
    expect(((await again.json()) as { id: number }).id).toBe(((await first.json()) as { id: number }).id);
    expect(await t.db.ticket.count({ where: { subject: "Idempotent printer" } })).toBe(1);
    const other = await send("POST", "/tickets", token, { ...ticket, subject: "Another subject" }, key);
    expect(other.status).toBe(422);
    // Two at once with one key: one ticket; the other answer is the same ticket or 409 (still running).
    const both = await Promise.all(
      [1, 2].map(() =>
        send("POST", "/tickets", token, { ...ticket, subject: "Twice at once" }, { "Idempotency-Key": "race" }),
      ),
    );
    expect(both.map((r) => r.status).sort()).toEqual(expect.arrayContaining([201]));
    for (const r of both) expect([201, 409]).toContain(r.status);
    expect(await t.db.ticket.count({ where: { subject: "Twice at once" } })).toBe(1);
  });

  it("replies and notes by the pages' rules: a requester's note is 403, another's ticket 404, a merged one 409", async () => {
    const ritaToken = await tokenFor(rita, ["tickets:read", "tickets:write"]);
    const staffToken = await tokenFor(agentUser, ["tickets:read", "tickets:write"]);
    const reply = await send("POST", `/tickets/${ritaTicket}/messages`, ritaToken, { body: "Still broken." });
    expect(reply.status).toBe(201);
    expect(await reply.json()).toMatchObject({ body: "Still broken.", internal: false, author: { id: rita.id } });
    expect(
      (await send("POST", `/tickets/${ritaTicket}/messages`, ritaToken, { body: "x", internal: true })).status,
    ).toBe(403);
    expect((await send("POST", `/tickets/${omarTicket}/messages`, ritaToken, { body: "Not mine." })).status).toBe(404);
    const note = await send("POST", `/tickets/${ritaTicket}/messages`, staffToken, {
      body: "Checked the tray.",
      internal: true,
    });
    expect(note.status).toBe(201);
    expect(((await note.json()) as { internal: boolean }).internal).toBe(true);
    const key = { "Idempotency-Key": "reply-once" };
    await send("POST", `/tickets/${ritaTicket}/messages`, staffToken, { body: "Once only, please." }, key);
    t.clock.advance(120_000);
    const replay = await send(
      "POST",
      `/tickets/${ritaTicket}/messages`,
      staffToken,
      { body: "Once only, please." },
      key,
    );
    expect(replay.headers.get("Idempotent-Replayed")).toBe("true");
    expect(await t.db.reply.count({ where: { body: "Once only, please." } })).toBe(1);
    const gone = await t.db.ticket.create({
      data: { subject: "Merged away", description: "Dup.", requesterId: rita.id },
    });
    await t.db.ticket.update({ where: { id: gone.id }, data: { mergedIntoId: ritaTicket, status: "Closed" } });
    expect((await send("POST", `/tickets/${gone.id}/messages`, ritaToken, { body: "Hello?" })).status).toBe(409);
  });

  it("changes status, priority and assignee for staff with If-Match (412 when stale); requesters 403", async () => {
    const staffToken = await tokenFor(agentUser, ["tickets:read", "tickets:write"]);
    const id = (
      await t.db.ticket.create({ data: { subject: "Triage me", description: "Needs sorting.", requesterId: rita.id } })
    ).id;
    const etag = (await api(`/tickets/${id}`, staffToken)).headers.get("ETag")!;
    const changed = await send(
      "PATCH",
      `/tickets/${id}`,
      staffToken,
      { status: "In progress", priority: "High", assigneeId: agentUser.id },
      { "If-Match": etag },
    );
    expect(changed.status).toBe(200);
    expect(await changed.json()).toMatchObject({
      status: "In progress",
      priority: "High",
      assignee: { id: agentUser.id },
    });
    expect(changed.headers.get("ETag")).not.toBe(etag);
    const stale = await send("PATCH", `/tickets/${id}`, staffToken, { priority: "Low" }, { "If-Match": etag });
    expect(stale.status).toBe(412);
    expect((await t.db.ticket.findUniqueOrThrow({ where: { id } })).priority).toBe("High");
    expect((await send("PATCH", `/tickets/${id}`, staffToken, { status: "Nonsense" })).status).toBe(422);
    expect((await send("PATCH", `/tickets/${id}`, staffToken, { assigneeId: rita.id })).status).toBe(422);
    const ritaToken = await tokenFor(rita, ["tickets:read", "tickets:write"]);
    expect((await send("PATCH", `/tickets/${id}`, ritaToken, { priority: "Urgent" })).status).toBe(403);
    // The requester closes and reopens their own, as on the page.
    const closed = await send("POST", `/tickets/${id}/close`, ritaToken, "");
    expect(closed.status).toBe(200);
    expect(((await closed.json()) as { status: string }).status).toBe("Closed");
    expect((await send("POST", `/tickets/${id}/reopen`, ritaToken, "", { "If-Match": '"1"' })).status).toBe(412);
    const reopened = await send("POST", `/tickets/${id}/reopen`, ritaToken, "");
    expect(((await reopened.json()) as { status: string }).status).toBe("Open");
  });

  it("sets a ticket's tags (one spelling, a history line each, If-Match), refusing bad ones per tag", async () => {
    const staffToken = await tokenFor(agentUser, ["tickets:read", "tickets:write"]);
    const id = (
      await t.db.ticket.create({ data: { subject: "Tag me", description: "Needs labels.", requesterId: rita.id } })
    ).id;
    const etag = (await api(`/tickets/${id}`, staffToken)).headers.get("ETag")!;
    const tagged = await send(
      "PATCH",
      `/tickets/${id}`,
      staffToken,
      { priority: "High", tags: ["Printer ", "floor 2"] },
      { "If-Match": etag },
    );
    expect(tagged.status).toBe(200);
    expect(await tagged.json()).toMatchObject({ priority: "High", tags: ["floor 2", "printer"] });
    const retag = await send(
      "PATCH",
      `/tickets/${id}`,
      staffToken,
      { tags: ["printer", "toner"] },
      {
        "If-Match": tagged.headers.get("ETag")!,
      },
    );
    expect(await retag.json()).toMatchObject({ tags: ["printer", "toner"] });
    const events = await t.db.ticketEvent.findMany({
      where: { ticketId: id, kind: { in: ["tag", "untag"] } },
      orderBy: { id: "asc" },
    });
    expect(events.map((e) => `${e.kind}:${e.toValue ?? e.fromValue}`)).toEqual([
      "tag:printer",
      "tag:floor 2",
      "tag:toner",
      "untag:floor 2",
    ]);
    // Stale, bad, too many: refused, nothing changed.
    expect((await send("PATCH", `/tickets/${id}`, staffToken, { tags: [] }, { "If-Match": etag })).status).toBe(412);
    const bad = await send("PATCH", `/tickets/${id}`, staffToken, { tags: ["ok", "<script>", ""] });
    expect(bad.status).toBe(422);
    expect(((await bad.json()) as { errors: { field: string }[] }).errors.map((e) => e.field)).toEqual([
      "tags.1",
      "tags.2",
    ]);
    const many = await send("PATCH", `/tickets/${id}`, staffToken, {
      tags: Array.from({ length: 11 }, (_, i) => `t${i}`),
    });
    expect(many.status).toBe(422);
    const ritaToken = await tokenFor(rita, ["tickets:read", "tickets:write"]);
    expect((await send("PATCH", `/tickets/${id}`, ritaToken, { tags: [] })).status).toBe(403);
    expect(await t.db.ticketTag.count({ where: { ticketId: id } })).toBe(2);
    const cleared = await send("PATCH", `/tickets/${id}`, staffToken, { tags: [] });
    expect(await cleared.json()).toMatchObject({ tags: [] });
  });
});

describe("a ticket's history and files", () => {
  it("gives the history (a requester's without staff lines) and the files the caller may see", async () => {
    const id = (
      await t.db.ticket.create({
        data: { subject: "With a file", description: "See the photo.", requesterId: rita.id },
      })
    ).id;
    const staffToken = await tokenFor(agentUser, ["tickets:read", "tickets:write"]);
    await send("PATCH", `/tickets/${id}`, staffToken, { priority: "High" });
    await send("POST", `/tickets/${id}/messages`, staffToken, { body: "A note.", internal: true });
    const ritaToken = await tokenFor(rita);
    const own = (await (await api(`/tickets/${id}/events`, ritaToken)).json()) as { kind: string }[];
    expect(own.map((e) => e.kind)).toEqual(["priority"]);
    const staff = (await (await api(`/tickets/${id}/events`, staffToken)).json()) as {
      kind: string;
      internal: boolean;
    }[];
    expect(staff.map((e) => [e.kind, e.internal])).toEqual([
      ["priority", false],
      ["note", true],
    ]);
    expect((await api(`/tickets/${omarTicket}/events`, ritaToken)).status).toBe(404);
    // A file on the description, and one on the staff note: the requester gets the first alone.
    const { createHash } = await import("node:crypto");
    const bytes = new TextEncoder().encode("hello file");
    const hash = createHash("sha256").update(bytes).digest("hex");
    await t.db.fileContent.upsert({ where: { hash }, create: { hash, bytes, size: bytes.length }, update: {} });
    const note = await t.db.reply.findFirstOrThrow({ where: { ticketId: id, internal: true } });
    const open = await t.db.attachment.create({
      data: { ticketId: id, name: "hello.txt", type: "text/plain", size: bytes.length, contentHash: hash },
    });
    const hidden = await t.db.attachment.create({
      data: {
        ticketId: id,
        replyId: note.id,
        name: "quote.txt",
        type: "text/plain",
        size: bytes.length,
        contentHash: hash,
      },
    });
    const file = await api(`/tickets/${id}/files/${open.id}`, ritaToken);
    expect(file.status).toBe(200);
    expect(file.headers.get("Content-Disposition")).toContain("hello.txt");
    expect(await file.text()).toBe("hello file");
    expect((await api(`/tickets/${id}/files/${hidden.id}`, ritaToken)).status).toBe(404);
    expect((await api(`/tickets/${id}/files/${hidden.id}`, staffToken)).status).toBe(200);
  });
});

describe("people (admins)", () => {
  it("lists, adds (invited by email), changes a role, disables and enables, by the admin pages' rules", async () => {
    const token = await tokenFor(adminUser, ["admin"]);
    const list = await api("/people?q=Rita", token);
    expect(list.status).toBe(200);
    expect(((await list.json()) as { people: { name: string }[] }).people.map((p) => p.name)).toEqual([
      "Rita Requester",
    ]);
    const added = await send("POST", "/people", token, { name: "Nina New", email: "Nina@Example.org", role: "agent" });
    expect(added.status).toBe(201);
    const nina = (await added.json()) as { id: number; email: string; role: string };
    expect([nina.email, nina.role]).toEqual(["nina@example.org", "agent"]);
    expect(await t.db.outboxMessage.count({ where: { toAddress: "nina@example.org" } })).toBe(1);
    expect(
      (await send("POST", "/people", token, { name: "Again", email: "nina@example.org", role: "agent" })).status,
    ).toBe(409);
    expect((await send("POST", "/people", token, { name: "Bad", email: "not-an-address", role: "agent" })).status).toBe(
      422,
    );
    const demoted = await send("PATCH", `/people/${nina.id}`, token, { role: "requester" });
    expect(((await demoted.json()) as { role: string }).role).toBe("requester");
    const disabled = await send("PATCH", `/people/${nina.id}`, token, { disabled: true });
    expect(((await disabled.json()) as { disabled: boolean }).disabled).toBe(true);
    const enabled = await send("PATCH", `/people/${nina.id}`, token, { disabled: false });
    expect(((await enabled.json()) as { disabled: boolean }).disabled).toBe(false);
    // Not oneself; not the last admin; nobody who is not there.
    expect((await send("PATCH", `/people/${adminUser.id}`, token, { disabled: true })).status).toBe(409);
    expect((await send("PATCH", `/people/${adminUser.id}`, token, { role: "agent" })).status).toBe(409);
    expect((await send("PATCH", "/people/999999", token, { role: "agent" })).status).toBe(404);
  });

  it("is refused without the admin scope, and to a token whose owner is no admin (403)", async () => {
    expect((await api("/people", await tokenFor(adminUser, ["tickets:read"]))).status).toBe(403);
    const agent = await createUser(t.db, { role: "agent" });
    const agentToken = await tokenFor(agent, ["tickets:read"]);
    expect((await api("/people", agentToken)).status).toBe(403);
    // An admin's admin-scoped token stops working for people when they stop being an admin.
    const former = await createUser(t.db, { role: "admin" });
    const formerToken = await tokenFor(former, ["admin"]);
    expect((await api("/people", formerToken)).status).toBe(200);
    await t.db.user.update({ where: { id: former.id }, data: { role: "agent" } });
    expect((await api("/people", formerToken)).status).toBe(403);
  });
});

describe("the rate limit", () => {
  it("counts each token's requests a minute, says so in RateLimit headers, and answers 429 past it", async () => {
    const limited = await testApp({ API_RATE_LIMIT: "3" });
    try {
      const user = await createUser(limited.db);
      const made = await createToken(limited.deps, user, {
        name: "limited",
        scopes: ["tickets:read"],
        expiresInDays: 0,
      });
      if (typeof made !== "object") throw new Error(made);
      const me = () => limited.app.request("/api/v1/me", { headers: { Authorization: `Bearer ${made.token}` } });
      const answers = [await me(), await me(), await me()];
      expect(answers.map((r) => r.status)).toEqual([200, 200, 200]);
      expect(answers.map((r) => r.headers.get("RateLimit"))).toEqual([
        '"token";r=2;t=60',
        '"token";r=1;t=60',
        '"token";r=0;t=60',
      ]);
      expect(answers[0]!.headers.get("RateLimit-Policy")).toBe('"token";q=3;w=60');
      const over = await me();
      expect(over.status).toBe(429);
      expect(over.headers.get("Retry-After")).toBe("60");
      expect(over.headers.get("Content-Type")).toBe("application/problem+json");
      // Another token of the same person has its own count.
      const other = await createToken(limited.deps, user, {
        name: "other",
        scopes: ["tickets:read"],
        expiresInDays: 0,
      });
      if (typeof other !== "object") throw new Error(other);
      expect(
        (await limited.app.request("/api/v1/me", { headers: { Authorization: `Bearer ${other.token}` } })).status,
      ).toBe(200);
      limited.clock.advance(61_000);
      expect((await me()).status).toBe(200);
    } finally {
      await limited.close();
    }
  });
});

describe("the OpenAPI document", () => {
  it("is OpenAPI 3.1, public, and names every route of the API with its security and problems", async () => {
    const res = await api("/openapi.json");
    expect(res.status).toBe(200);
    const doc = (await res.json()) as {
      openapi: string;
      paths: Record<string, Record<string, { security?: unknown; responses: Record<string, unknown> }>>;
      components: { securitySchemes: Record<string, { scheme: string }>; schemas: Record<string, unknown> };
    };
    expect(doc.openapi).toBe("3.1.0");
    // Valid against the OpenAPI 3.1 schema (a document that does not validate fails here).
    const checked = await new Validator().validate(structuredClone(doc) as never);
    expect(checked, JSON.stringify(checked.errors)).toEqual({ valid: true });
    expect(doc.components.securitySchemes.bearer!.scheme).toBe("bearer");
    // Every route the app serves under /api/v1 is in the document (a route added without one fails here).
    const served = t.app.routes
      .filter((r) => r.path.startsWith("/api/v1/") && r.method !== "ALL" && !r.path.endsWith("/openapi.json"))
      .map((r) => `${r.method.toLowerCase()} ${r.path.slice("/api/v1".length).replace(/:(\w+)/g, "{$1}")}`);
    expect(served.length).toBeGreaterThanOrEqual(3);
    const documented = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m} ${path}`));
    expect(documented.sort()).toEqual([...new Set(served)].sort());
    for (const ops of Object.values(doc.paths))
      for (const op of Object.values(ops)) {
        expect(op.security).toEqual([{ bearer: [] }]);
        expect(Object.keys(op.responses)).toContain("401");
      }
    expect(Object.keys(doc.components.schemas)).toEqual(
      expect.arrayContaining(["Problem", "Ticket", "TicketList", "Me", "WebhookMessage"]),
    );
    // Every webhook event is in the document's webhooks, a signed POST of a WebhookMessage.
    const hooks = (doc as unknown as { webhooks: Record<string, { post: { requestBody: unknown } }> }).webhooks;
    expect(Object.keys(hooks).sort()).toEqual([...EVENT_TYPES].sort());
    expect(JSON.stringify(hooks["ticket.created"]!.post.requestBody)).toContain("#/components/schemas/WebhookMessage");
  });
});
