import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { CurrentUser } from "../../src/env.js";
import { addTag } from "../../src/tags/tags.js";
import { changeFields, setStatus } from "../../src/tickets/changes.js";
import { findTicket } from "../../src/tickets/find.js";
import { mergeTickets } from "../../src/tickets/merge.js";
import { openTicket } from "../../src/tickets/open.js";
import { addNote, addReply } from "../../src/tickets/thread.js";
import { FAILING_LIMIT_MS, RETRY_STEPS } from "../../src/webhooks/deliveries.js";
import { WebhookWorker } from "../../src/webhooks/worker.js";
import { type Browser, browserAs, createUser, section, type TestApp, testApp } from "../helpers/app.js";
import { Receiver } from "./receiver.js";

// Webhooks (#29): endpoints an admin registers on /admin/webhooks (secret shown once), a delivery
// per event written in the change's transaction, sent by the worker signed per Standard Webhooks
// (verified here by the standardwebhooks library in a real HTTP receiver), retried with backoff
// with the same webhook-id, in order per ticket, logged, sent again on demand, and an endpoint
// failing for a day turned off with its admins mailed.

let t: TestApp;
let admin: CurrentUser, agent: CurrentUser, rita: CurrentUser;
let asAdmin: Browser, asAgent: Browser;
let receiver: Receiver;
let base: string;
let worker: WebhookWorker;

const ticketOf = async (id: number) => (await findTicket(t.deps, admin, id))!;
const open = async (subject: string) =>
  (await openTicket(t.deps, rita, { subject, description: "It does not work.", priority: "Medium" }, undefined)).id;

/** Registers an endpoint through the admin page; its id and the secret the page showed once. */
async function register(url: string, events?: string[]) {
  const page = await asAdmin.post("/admin/webhooks", {
    url,
    description: "Chat room",
    ...(events
      ? { events }
      : {
          events: [
            "ticket.created",
            "ticket.replied",
            "ticket.status_changed",
            "ticket.priority_changed",
            "ticket.assignee_changed",
            "ticket.tags_changed",
            "ticket.closed",
            "ticket.reopened",
            "ticket.merged",
          ],
        }),
  });
  expect(page.status).toBe(200);
  const secret = section(page.text, "new-secret").match(/whsec_[A-Za-z0-9+/=]+/)?.[0];
  expect(secret).toBeDefined();
  const row = await t.db.webhookEndpoint.findFirstOrThrow({
    where: { url: new URL(url).href },
    orderBy: { id: "desc" },
  });
  return { id: row.id, secret: secret! };
}

beforeAll(async () => {
  t = await testApp({ WEBHOOK_ALLOW_PRIVATE: "true", WEBHOOK_TIMEOUT_SECONDS: "1" });
  admin = await createUser(t.db, { role: "admin", name: "Ada Admin" });
  agent = await createUser(t.db, { role: "agent", name: "Alex Agent" });
  rita = await createUser(t.db, { name: "Rita Requester" });
  asAdmin = await browserAs(t, admin);
  asAgent = await browserAs(t, agent);
  receiver = new Receiver();
  base = await receiver.start();
  worker = new WebhookWorker(t.deps);
});
afterAll(async () => {
  await receiver.close();
  await t.close();
});
beforeEach(async () => {
  receiver.received.length = 0;
  receiver.behave = (_req, res) => res.writeHead(204).end();
  await t.db.webhookEndpoint.deleteMany();
});

describe("/admin/webhooks", () => {
  it("is for admins only", async () => {
    expect((await asAgent.get("/admin/webhooks")).status).toBe(403);
    expect((await asAgent.post("/admin/webhooks", { url: `${base}/x`, events: "ticket.created" })).status).toBe(403);
    expect((await asAdmin.get("/admin/webhooks/999999")).status).toBe(404);
    expect((await asAdmin.post("/admin/webhooks/999999/test")).status).toBe(404);
  });

  it("refuses a form that is not right with 422 and a message by its field, keeping what was typed", async () => {
    const cases: [Record<string, string | string[]>, string, string][] = [
      [{ url: "", events: "ticket.created" }, "url", "Enter the address to send events to."],
      [{ url: "ftp://example.com/x", events: "ticket.created" }, "url", "starting with https://"],
      [{ url: "not a url", events: "ticket.created" }, "url", "starting with https://"],
      [{ url: "https://user:pw@example.com/x", events: "ticket.created" }, "url", "user name and password"],
      [{ url: `${base}/x`, events: "ticket.nothing" }, "events", "Choose at least one event."],
      [{ url: `${base}/x`, description: "d".repeat(201), events: "ticket.created" }, "description", "200 characters"],
    ];
    for (const [form, field, message] of cases) {
      const page = await asAdmin.post("/admin/webhooks", form);
      expect(page.status, JSON.stringify(form)).toBe(422);
      expect(section(page.text, `${field}-error`) || page.text).toContain(message);
      expect(page.text).toMatch(/<title>Error:/);
    }
    const kept = await asAdmin.post("/admin/webhooks", { url: "ftp://kept.example/x", events: [] });
    expect(kept.text).toContain('value="ftp://kept.example/x"');
    expect(await t.db.webhookEndpoint.count()).toBe(0);
  });

  it("adds one with its secret shown once, then changes, tests and removes it", async () => {
    const { id, secret } = await register(`${base}/hook`);
    const row = await t.db.webhookEndpoint.findUniqueOrThrow({ where: { id } });
    expect(row.secret).toBe(secret);
    expect(row.events.split(" ")).not.toContain("ticket.note_added");
    const list = await asAdmin.get("/admin/webhooks");
    expect(list.text).toContain(`${base}/hook`);
    expect(list.text).not.toContain(secret);
    const page = await asAdmin.get(`/admin/webhooks/${id}`);
    expect(page.status).toBe(200);
    expect(page.text).not.toContain(secret);
    expect(page.text).toContain("Nothing sent yet.");

    // A new secret: shown once; the old one stops.
    const rotated = await asAdmin.post(`/admin/webhooks/${id}/secret`);
    const fresh = section(rotated.text, "new-secret").match(/whsec_[A-Za-z0-9+/=]+/)?.[0];
    expect(fresh).toBeDefined();
    expect(fresh).not.toBe(secret);

    // The test event goes out signed with the new secret.
    receiver.secret = fresh!;
    expect((await asAdmin.post(`/admin/webhooks/${id}/test`)).status).toBe(303);
    expect(await worker.runOnce()).toBe(1);
    expect(receiver.received).toHaveLength(1);
    expect(receiver.received[0]!.verified).toBe(true);
    expect(receiver.messages()[0]).toMatchObject({ type: "webhook.test", data: { test: true } });
    const logged = await asAdmin.get(`/admin/webhooks/${id}`);
    expect(section(logged.text, "webhook")).toContain("webhook.test");
    expect(logged.text).toContain("HTTP 204");

    // Changed: the note opt-in, off.
    const saved = await asAdmin.post(`/admin/webhooks/${id}`, {
      url: `${base}/other`,
      description: "",
      events: ["ticket.note_added"],
    });
    expect(saved.status).toBe(303);
    const after = await t.db.webhookEndpoint.findUniqueOrThrow({ where: { id } });
    expect(after).toMatchObject({
      url: `${base}/other`,
      events: "ticket.note_added",
      enabled: false,
      offReason: "admin",
    });
    const refused = await asAdmin.post(`/admin/webhooks/${id}`, { url: "", events: "ticket.created", enabled: "on" });
    expect(refused.status).toBe(422);
    expect((await t.db.webhookEndpoint.findUniqueOrThrow({ where: { id } })).url).toBe(`${base}/other`);

    expect((await asAdmin.post(`/admin/webhooks/${id}/delete`)).status).toBe(303);
    expect(await t.db.webhookEndpoint.count()).toBe(0);
    expect(await t.db.webhookDelivery.count({ where: { endpointId: id } })).toBe(0);
    expect((await asAdmin.post(`/admin/webhooks/${id}/delete`)).status).toBe(404);
  });
});

describe("deliveries", () => {
  it("tells each event of a ticket, signed, in order, with what changed", async () => {
    const { secret } = await register(`${base}/events`);
    receiver.secret = secret;
    const id = await open("Printer on fire");
    await addReply(t.deps, agent, await ticketOf(id), "Stand back, we are coming.");
    await addNote(t.deps, agent, await ticketOf(id), "Call facilities");
    await changeFields(t.deps, agent, await ticketOf(id), { priority: "High", assigneeId: agent.id });
    await addTag(t.deps, agent, id, "hardware");
    await setStatus(t.deps, agent, await ticketOf(id), "Closed");
    await setStatus(t.deps, agent, await ticketOf(id), "Open");
    // Nothing is sent by the change itself: only the worker sends.
    expect(receiver.received).toHaveLength(0);
    while ((await worker.runOnce()) > 0);
    const types = receiver.messages().map((m) => m.type);
    expect(types, types.join()).toEqual([
      "ticket.created",
      "ticket.replied",
      // The agent's reply assigned the unassigned ticket to them (ASSIGN_ON_REPLY), in its change.
      "ticket.assignee_changed",
      "ticket.priority_changed",
      "ticket.tags_changed",
      "ticket.status_changed",
      "ticket.closed",
      "ticket.status_changed",
      "ticket.reopened",
    ]);
    expect(receiver.received.every((r) => r.verified)).toBe(true);
    const [created, replied, assignee, priority, tags, , closed] = receiver.messages();
    expect(created!.data).toMatchObject({
      actorId: rita.id,
      ticket: {
        id,
        subject: "Printer on fire",
        status: "Open",
        requesterId: rita.id,
        url: expect.stringContaining(`/tickets/${id}`),
      },
    });
    expect(replied!.data).toMatchObject({
      message: { body: "Stand back, we are coming.", internal: false },
      actorId: agent.id,
    });
    expect(priority!.data).toMatchObject({ changes: { priority: { from: "Medium", to: "High" } } });
    expect(assignee!.data).toMatchObject({
      changes: { assignee: { from: null, to: "Alex Agent" } },
      ticket: { assigneeId: agent.id },
    });
    expect(tags!.data).toMatchObject({ tags: { added: ["hardware"], removed: [] }, ticket: { tags: ["hardware"] } });
    expect(closed!.data).toMatchObject({ changes: { status: { from: "Open", to: "Closed" } } });
    const headers = receiver.received[0]!.headers;
    expect(headers["webhook-id"]).toMatch(/^msg_/);
    expect(headers["webhook-signature"]).toMatch(/^v1,/);
    expect(headers["content-type"]).toBe("application/json");
    expect(headers["user-agent"]).toBe("Hyperdesk-Webhooks/1");
    // Each message once; the note was not asked for.
    expect(new Set(receiver.received.map((r) => r.headers["webhook-id"])).size).toBe(receiver.received.length);
  });

  it("sends internal notes and merges only to an endpoint that asked", async () => {
    const { secret } = await register(`${base}/notes`, ["ticket.note_added", "ticket.merged"]);
    receiver.secret = secret;
    const a = await open("Badge A");
    const b = await open("Badge B");
    await addNote(t.deps, agent, await ticketOf(a), "Checked the reader");
    await addReply(t.deps, agent, await ticketOf(a), "Public words");
    expect(await mergeTickets(t.deps, agent, b, a, { confirmed: true })).toMatchObject({});
    while ((await worker.runOnce()) > 0);
    const messages = receiver.messages();
    expect(messages.map((m) => m.type)).toEqual(["ticket.note_added", "ticket.merged"]);
    expect(messages[0]!.data).toMatchObject({ message: { body: "Checked the reader", internal: true } });
    expect(messages[1]!.data).toMatchObject({ mergedIntoId: a, ticket: { id: b } });
  });

  it("retries a failing receiver with backoff and the same webhook-id, keeping each ticket's order", async () => {
    const { id: endpointId, secret } = await register(`${base}/flaky`);
    receiver.secret = secret;
    receiver.behave = (_req, res, n) => res.writeHead(n <= 2 ? 500 : 200).end("ok");
    const first = await open("First ticket");
    await addReply(t.deps, agent, await ticketOf(first), "A reply after it");
    const second = await open("Second ticket");
    // Round 1: first's created fails; its reply waits behind it; second's created fails too.
    expect(await worker.runOnce()).toBe(2);
    expect(receiver.received).toHaveLength(2);
    const firstTry = await t.db.webhookDelivery.findFirstOrThrow({
      where: { ticketId: first, type: "ticket.created" },
    });
    expect(firstTry).toMatchObject({ status: "waiting", attempts: 1, lastStatus: 500, lastError: "answered 500" });
    const wait = firstTry.nextAttemptAt.getTime() - t.clock.now().getTime();
    expect(wait).toBeGreaterThanOrEqual(RETRY_STEPS[0]! * t.config.webhooks.retryMs * 0.8);
    expect((await t.db.webhookEndpoint.findUniqueOrThrow({ where: { id: endpointId } })).failingSince).not.toBeNull();
    // Not due yet: nothing goes.
    expect(await worker.runOnce()).toBe(0);
    const log = await asAdmin.get(`/admin/webhooks/${endpointId}`);
    expect(log.text).toContain("HTTP 500");
    expect(log.text).toContain("next try");
    t.clock.advance(60_000);
    // Round 2: both go through (the receiver answers 200 from the third request), and the reply
    // right after the created before it, in the same round (claimNext).
    expect(await worker.runOnce()).toBe(2);
    // (The agent's reply assigned the ticket too: its assignee_changed follows it.)
    expect(receiver.received.map((r) => `${JSON.parse(r.body).type}#${JSON.parse(r.body).data.ticket.id}`)).toEqual([
      `ticket.created#${first}`,
      `ticket.created#${second}`,
      `ticket.created#${first}`,
      `ticket.created#${second}`,
      `ticket.replied#${first}`,
      `ticket.assignee_changed#${first}`,
    ]);
    expect(await worker.runOnce()).toBe(0);
    const ids = receiver.received.map(
      (r) => `${JSON.parse(r.body).type}#${JSON.parse(r.body).data.ticket.id}:${r.headers["webhook-id"]}`,
    );
    expect(ids[0]).toBe(ids[2]);
    expect(ids[1]).toBe(ids[3]);
    expect(ids[1]).toMatch(new RegExp(`^ticket.created#${second}:`));
    expect(ids[4]).toMatch(new RegExp(`^ticket.replied#${first}:`));
    expect(receiver.received.every((r) => r.verified)).toBe(true);
    expect((await t.db.webhookEndpoint.findUniqueOrThrow({ where: { id: endpointId } })).failingSince).toBeNull();
    expect(await t.db.webhookDelivery.count({ where: { endpointId, status: "delivered" } })).toBe(4);
  });

  it("holds back only the failing endpoint's rows, never another endpoint's", async () => {
    const down = await register(`${base}/down-for-all`, ["ticket.created", "ticket.replied"]);
    const up = await register(`${base}/up-for-all`, ["ticket.created", "ticket.replied"]);
    receiver.secret = up.secret;
    receiver.behave = (req, res) => res.writeHead(req.url === "/down-for-all" ? 503 : 204).end();
    const id = await open("A busy ticket");
    for (let i = 0; i < 70; i++) await addReply(t.deps, rita, await ticketOf(id), `Update number ${i}`);
    const gotUp = () => receiver.received.filter((r) => r.path === "/up-for-all").length;
    for (let round = 0; round < 150 && gotUp() < 71; round++) await worker.runOnce();
    expect(gotUp()).toBe(71);
    const bodies = receiver.received.filter((r) => r.path === "/up-for-all").map((r) => JSON.parse(r.body));
    expect(bodies.slice(1).map((b) => b.data.message.body)).toEqual(
      Array.from({ length: 70 }, (_, i) => `Update number ${i}`),
    );
    // The failing one tried its first only, and waits out its backoff.
    expect(receiver.received.filter((r) => r.path === "/down-for-all")).toHaveLength(1);
    expect(await t.db.webhookDelivery.count({ where: { endpointId: down.id, status: "waiting" } })).toBe(71);
  });

  it("is sent once by several workers at once on one database, each ticket in order", async () => {
    const { secret } = await register(`${base}/many-workers`, ["ticket.created", "ticket.replied"]);
    receiver.secret = secret;
    const tickets = [await open("Worker race A"), await open("Worker race B")];
    for (const id of tickets)
      for (let i = 0; i < 5; i++) await addReply(t.deps, rita, await ticketOf(id), `Race ${id} step ${i}`);
    const workers = [new WebhookWorker(t.deps), new WebhookWorker(t.deps), new WebhookWorker(t.deps)];
    for (let round = 0; round < 20 && receiver.received.length < 12; round++)
      await Promise.all(workers.map((w) => w.runOnce()));
    const ids = receiver.received.map((r) => r.headers["webhook-id"]);
    expect(ids).toHaveLength(12);
    expect(new Set(ids).size).toBe(12);
    for (const id of tickets) {
      const mine = receiver.messages().filter((m) => (m.data.ticket as { id: number }).id === id);
      expect(
        mine.map((m) => (m.type === "ticket.created" ? "created" : (m.data.message as { body: string }).body)),
      ).toEqual(["created", ...Array.from({ length: 5 }, (_, i) => `Race ${id} step ${i}`)]);
    }
  });

  it("sends a delivery again on demand with the same webhook-id", async () => {
    const { id: endpointId, secret } = await register(`${base}/again`);
    receiver.secret = secret;
    const ticket = await open("Send me twice");
    await worker.runOnce();
    const delivery = await t.db.webhookDelivery.findFirstOrThrow({ where: { endpointId, ticketId: ticket } });
    expect(delivery.status).toBe("delivered");
    // Without JS: 303 back to the log; with htmx: the row in place.
    const plain = await asAdmin.post(`/admin/webhooks/${endpointId}/deliveries/${delivery.id}/again`);
    expect(plain.status).toBe(303);
    await worker.runOnce();
    const partial = await asAdmin.post(
      `/admin/webhooks/${endpointId}/deliveries/${delivery.id}/again`,
      {},
      {
        htmx: "partial",
        target: `delivery-${delivery.id}`,
      },
    );
    expect(partial.status).toBe(200);
    expect(partial.text).toContain(`id="delivery-${delivery.id}"`);
    await worker.runOnce();
    expect(receiver.received.map((r) => r.headers["webhook-id"])).toEqual(Array(3).fill(delivery.messageId));
    // Waiting, or another endpoint's: nothing to send again.
    expect((await asAdmin.post(`/admin/webhooks/${endpointId + 1000}/deliveries/${delivery.id}/again`)).status).toBe(
      404,
    );
  });

  it("turns off an endpoint that fails for a day, mails the admins once, and catches up in order when on again", async () => {
    const { id: endpointId, secret } = await register(`${base}/down`);
    receiver.secret = secret;
    receiver.behave = (_req, res) => res.writeHead(503).end();
    const ticket = await open("Down for a day");
    await addReply(t.deps, agent, await ticketOf(ticket), "Still looking");
    const mailsBefore = await t.db.outboxMessage.count({ where: { kind: "webhook_off" } });
    let tries = 0;
    for (let hour = 0; hour <= 36; hour++) {
      tries += await worker.runOnce();
      t.clock.advance(3_600_000);
    }
    const endpoint = await t.db.webhookEndpoint.findUniqueOrThrow({ where: { id: endpointId } });
    expect(endpoint).toMatchObject({ enabled: false, offReason: "failing" });
    // A day and a half later the admin signs in again.
    asAdmin = await browserAs(t, admin);
    expect(tries).toBeGreaterThan(3);
    expect(tries).toBeLessThanOrEqual(RETRY_STEPS.length + 1);
    const mails = await t.db.outboxMessage.findMany({ where: { kind: "webhook_off" }, skip: mailsBefore });
    expect(mails.map((m) => m.toAddress)).toEqual([admin.email]);
    expect(mails[0]!.text).toContain(`${base}/down`);
    expect(mails[0]!.text).toContain(`/admin/webhooks/${endpointId}`);
    expect(FAILING_LIMIT_MS).toBe(86_400_000);
    // Off: new changes are not written for it, nothing is sent.
    await addReply(t.deps, agent, await ticketOf(ticket), "While it is off");
    const count = receiver.received.length;
    expect(await worker.runOnce()).toBe(0);
    expect((await asAdmin.get("/admin/webhooks")).text).toContain("Off: it failed for a day");

    // On again: what waited goes out, the created before the reply.
    receiver.behave = (_req, res) => res.writeHead(200).end();
    const on = await asAdmin.post(`/admin/webhooks/${endpointId}`, {
      url: `${base}/down`,
      events: ["ticket.created", "ticket.replied"],
      enabled: "on",
    });
    expect(on.status).toBe(303);
    while ((await worker.runOnce()) > 0);
    const after = receiver.messages().slice(count);
    // Written while it was on (the reply assigned the ticket too); nothing of the reply made while it was off.
    expect(after.map((m) => m.type)).toEqual(["ticket.created", "ticket.replied", "ticket.assignee_changed"]);
    expect(after.some((m) => JSON.stringify(m).includes("While it is off"))).toBe(false);
    expect((await t.db.webhookEndpoint.findUniqueOrThrow({ where: { id: endpointId } })).failingSince).toBeNull();
  });
});

describe("the running worker", () => {
  it("sends a ticket's next event as soon as the one before went, not at the next poll", async () => {
    const slowPoll = await testApp({ WEBHOOK_ALLOW_PRIVATE: "true", WEBHOOK_POLL_SECONDS: "600" });
    const own = new Receiver();
    const url = await own.start();
    try {
      const endpoint = await slowPoll.db.webhookEndpoint.create({
        data: {
          url: `${url}/chain`,
          events: "ticket.created ticket.replied",
          secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
        },
      });
      own.secret = endpoint.secret;
      const someone = await createUser(slowPoll.db);
      const staff = await createUser(slowPoll.db, { role: "agent" });
      const { id } = await openTicket(
        slowPoll.deps,
        someone,
        { subject: "Chained", description: "Three events in a row.", priority: "Low" },
        undefined,
      );
      const seen = (await findTicket(slowPoll.deps, staff, id))!;
      await addReply(slowPoll.deps, someone, seen, "First more");
      await addReply(slowPoll.deps, someone, (await findTicket(slowPoll.deps, staff, id))!, "Second more");
      // One poll at start; a poll every ten minutes after: only the chain gets all three out now.
      const running = new WebhookWorker(slowPoll.deps).start();
      const deadline = Date.now() + 15_000;
      while (own.received.length < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      await running.stop();
      expect(own.messages().map((m) => m.type)).toEqual(["ticket.created", "ticket.replied", "ticket.replied"]);
      expect(own.received.every((r) => r.verified)).toBe(true);
    } finally {
      await own.close();
      await slowPoll.close();
    }
  });
});

describe("where a webhook may not go", () => {
  let strict: TestApp;
  let strictAdmin: Browser;
  beforeAll(async () => {
    strict = await testApp({ WEBHOOK_TIMEOUT_SECONDS: "1" });
    strictAdmin = await browserAs(strict, await createUser(strict.db, { role: "admin" }));
  });
  afterAll(() => strict.close());

  it("refuses private addresses when saved, each form of them", async () => {
    for (const url of [
      "http://127.0.0.1/x",
      "http://[::1]/x",
      "http://[::ffff:127.0.0.1]/x",
      "http://169.254.169.254/latest/meta-data",
      "http://10.1.2.3/x",
      "http://192.168.0.1/x",
      "http://[fd00::1]/x",
      "http://0.0.0.0/x",
      "http://2130706433/x",
      "http://localhost/x",
    ]) {
      const page = await strictAdmin.post("/admin/webhooks", { url, events: "ticket.created" });
      expect(page.status, url).toBe(422);
      expect(page.text, url).toContain("the desk sends webhooks only to public addresses");
    }
    expect(await strict.db.webhookEndpoint.count()).toBe(0);
  });

  it("refuses them when sending, on the address connected to (a name that came to resolve to loopback)", async () => {
    const target = await new Receiver().start();
    const port = new URL(target).port;
    const strictWorker = new WebhookWorker(strict.deps);
    const urls = [
      `http://127.0.0.1:${port}/x`,
      `http://[::1]:${port}/x`,
      `http://[::ffff:127.0.0.1]:${port}/x`,
      `http://[::ffff:7f00:1]:${port}/x`,
      "http://169.254.169.254/x",
      "http://10.0.0.1/x",
      "http://[fd00::1]/x",
      `http://localhost:${port}/x`,
    ];
    // Written straight to the table, as if a name had resolved elsewhere when it was saved.
    for (const url of urls) {
      const endpoint = await strict.db.webhookEndpoint.create({
        data: { url, events: "ticket.created", secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw" },
      });
      await strict.db.webhookDelivery.create({
        data: {
          endpointId: endpoint.id,
          messageId: `msg_${endpoint.id}`,
          type: "webhook.test",
          payload: "{}",
          nextAttemptAt: strict.clock.now(),
          createdAt: strict.clock.now(),
        },
      });
    }
    expect(await strictWorker.runOnce()).toBe(urls.length);
    const rows = await strict.db.webhookDelivery.findMany({ include: { endpoint: true }, orderBy: { id: "asc" } });
    for (const row of rows) {
      expect(row.status, row.endpoint.url).toBe("waiting");
      expect(row.lastError, row.endpoint.url).toMatch(/^refused: .* \((loopback|linkLocal|private|uniqueLocal)\)/);
      expect(row.lastStatus).toBeNull();
    }
  });

  it("follows no redirect, gives up on a hanging receiver, and reads no more than its cap", async () => {
    const slow = new Receiver();
    const url = await slow.start();
    const open = await testApp({ WEBHOOK_ALLOW_PRIVATE: "true", WEBHOOK_TIMEOUT_SECONDS: "0.5" });
    try {
      slow.behave = (req, res) => {
        if (req.url === "/redirect") res.writeHead(302, { Location: "http://169.254.169.254/" }).end();
        else if (req.url === "/endless") {
          res.writeHead(200);
          const chunk = Buffer.alloc(64 * 1024, 120);
          const pump = () => {
            while (res.write(chunk));
            res.once("drain", pump);
          };
          pump();
          res.on("close", () => res.removeAllListeners("drain"));
        }
        // /hang: never answers.
      };
      for (const path of ["/redirect", "/hang", "/endless"]) {
        const endpoint = await open.db.webhookEndpoint.create({
          data: { url: `${url}${path}`, events: "ticket.created", secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw" },
        });
        await open.db.webhookDelivery.create({
          data: {
            endpointId: endpoint.id,
            messageId: `msg_${path}`,
            type: "webhook.test",
            payload: "{}",
            nextAttemptAt: open.clock.now(),
            createdAt: open.clock.now(),
          },
        });
      }
      const started = Date.now();
      expect(await new WebhookWorker(open.deps).runOnce()).toBe(3);
      expect(Date.now() - started).toBeLessThan(20_000);
      const rows = await open.db.webhookDelivery.findMany({ include: { endpoint: true }, orderBy: { id: "asc" } });
      expect(rows[0]).toMatchObject({
        status: "waiting",
        lastStatus: 302,
        lastError: "redirect to http://169.254.169.254/ not followed",
      });
      expect(rows[1]).toMatchObject({ status: "waiting", lastStatus: null, lastError: "no answer in 0.5 s" });
      // The endless answer is a 200: delivered, after reading at most the cap.
      expect(rows[2]).toMatchObject({ status: "delivered", lastStatus: 200 });
      expect(slow.received.filter((r) => r.path === "/redirect")).toHaveLength(1);
    } finally {
      await slow.close();
      await open.close();
    }
  });
});
