import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeDeps } from "../../src/deps.js";
import type { CurrentUser, Deps } from "../../src/env.js";
import { changeSubscribers } from "../../src/subscribers.js";
import { changeFields, closeTicket, reopenTicket, setAssignee, setStatus } from "../../src/tickets/changes.js";
import type { ChangeSubscriber, TicketChange } from "../../src/tickets/events.js";
import { findTicket } from "../../src/tickets/find.js";
import { openTicket } from "../../src/tickets/open.js";
import { addNote, addReply, REPEAT_WINDOW_MS } from "../../src/tickets/thread.js";
import { createUser, type TestApp, testApp } from "../helpers/app.js";

// The rules of a ticket change, as a specification: what each change writes, and what it hands on.

let t: TestApp;
let requester: CurrentUser, agent: CurrentUser, admin: CurrentUser;
/** Every change the spy subscriber was handed, in order. */
const seen: TicketChange[] = [];
let failNext = false;
const spy: ChangeSubscriber = {
  name: "spy",
  onChange: async (_deps, tx, change) => {
    seen.push(change);
    // A subscriber writes in the change's transaction: this row must roll back with it.
    await tx.ticket.update({ where: { id: change.ticketId }, data: { subject: `Seen ${seen.length}` } });
    if (failNext) {
      failNext = false;
      throw new Error("the subscriber failed");
    }
  },
};
let deps: Deps;

beforeAll(async () => {
  t = await testApp();
  deps = makeDeps(t.config, t.db, { clock: t.clock, log: () => {}, subscribers: [...changeSubscribers, spy] });
  requester = await createUser(t.db, { name: "Rita Requester" });
  agent = await createUser(t.db, { name: "Alex Agent", role: "agent" });
  admin = await createUser(t.db, { name: "Ada Admin", role: "admin" });
});
afterAll(() => t.close());

const open = async () => {
  const { id } = await openTicket(
    deps,
    requester,
    { subject: "Printer jams", description: "On floor 2.", priority: "Medium" },
    undefined,
  );
  return id;
};
const ticketOf = async (id: number) => (await findTicket(deps, admin, id))!;
const eventsOf = async (id: number) =>
  (await t.db.ticketEvent.findMany({ where: { ticketId: id }, orderBy: { id: "asc" } })).map((e) => [
    e.kind,
    e.fromValue,
    e.toValue,
  ]);

describe("the change pipeline", () => {
  it("hands each change to the subscribers once, with all its events, after its history is written", async () => {
    seen.length = 0;
    const id = await open();
    await changeFields(deps, agent, await ticketOf(id), {
      status: "In progress",
      priority: "High",
      assigneeId: agent.id,
    });
    expect(seen.map((c) => c.events.map((e) => e.kind))).toEqual([["created"], ["status", "priority", "assignee"]]);
    expect(seen.every((c) => c.ticketId === id)).toBe(true);
    expect(seen[1]!.actorId).toBe(agent.id);
    // The mail subscriber ran too: the receipt; the agent is not mailed about assigning themselves.
    expect((await t.db.outboxMessage.findMany({ where: { ticketId: id } })).map((m) => m.kind)).toEqual(["receipt"]);
  });

  it("a subscriber that fails rolls the whole change back: no row, no history, no email", async () => {
    const id = await open();
    const before = await t.db.ticket.findUniqueOrThrow({ where: { id } });
    failNext = true;
    await expect(setStatus(deps, agent, await ticketOf(id), "Closed")).rejects.toThrow("the subscriber failed");
    const after = await t.db.ticket.findUniqueOrThrow({ where: { id } });
    expect(after).toMatchObject({ status: "Open", version: before.version, subject: before.subject, closedAt: null });
    expect(await eventsOf(id)).toEqual([["created", null, "Medium"]]);
    expect(await t.db.outboxMessage.count({ where: { ticketId: id, kind: "closed" } })).toBe(0);
  });

  it("a change that writes nothing is handed to nobody", async () => {
    const id = await open();
    seen.length = 0;
    const result = await changeFields(deps, agent, await ticketOf(id), {
      status: "Open",
      priority: "Medium",
      assigneeId: null,
    });
    expect(result).toEqual({ outcome: "unchanged", changed: [], assignee: null });
    expect(seen).toEqual([]);
  });
});

describe("field changes", () => {
  it("write one event per field that changed, and closing stamps closedAt", async () => {
    const id = await open();
    const result = await changeFields(deps, agent, await ticketOf(id), {
      status: "Closed",
      priority: "Medium",
      assigneeId: agent.id,
    });
    expect(result.outcome).toBe("done");
    expect(result.changed).toEqual(["status", "assignee"]);
    expect(await eventsOf(id)).toEqual([
      ["created", null, "Medium"],
      ["status", "Open", "Closed"],
      ["assignee", null, "Alex Agent"],
    ]);
    expect((await t.db.ticket.findUniqueOrThrow({ where: { id } })).closedAt).toEqual(t.clock.now());
    expect(await reopenTicket(deps, agent, await ticketOf(id))).toBe("done");
    expect((await t.db.ticket.findUniqueOrThrow({ where: { id } })).closedAt).toBeNull();
    expect(await reopenTicket(deps, agent, await ticketOf(id))).toBe("unchanged");
  });

  it("refuse a stale version and write nothing", async () => {
    const id = await open();
    const first = await ticketOf(id);
    expect(await setStatus(deps, agent, first, "Waiting", first.version)).toBe("done");
    expect(await closeTicket(deps, agent, first, first.version)).toBe("stale");
    expect((await t.db.ticket.findUniqueOrThrow({ where: { id } })).status).toBe("Waiting");
    expect((await eventsOf(id)).length).toBe(2);
  });

  it("assign only active staff", async () => {
    const id = await open();
    const disabled = await createUser(t.db, { role: "agent", disabled: true });
    for (const who of [requester.id, disabled.id, 999_999])
      expect((await setAssignee(deps, admin, await ticketOf(id), who)).outcome).toBe("not staff");
    expect((await setAssignee(deps, admin, await ticketOf(id), agent.id)).outcome).toBe("done");
    expect((await setAssignee(deps, admin, await ticketOf(id), null)).outcome).toBe("done");
    expect(await eventsOf(id)).toEqual([
      ["created", null, "Medium"],
      ["assignee", null, "Alex Agent"],
      ["assignee", "Alex Agent", null],
    ]);
  });
});

describe("replies and notes", () => {
  it("a requester's reply reopens a closed ticket, in the reply's own change", async () => {
    const id = await open();
    await closeTicket(deps, agent, await ticketOf(id));
    seen.length = 0;
    const posted = await addReply(deps, requester, await ticketOf(id), "It jams again.");
    expect(posted).toMatchObject({ status: "Open", reopened: true });
    expect(seen.map((c) => c.events.map((e) => [e.kind, e.toValue ?? null]))).toEqual([
      [
        ["reply", null],
        ["status", "Open"],
      ],
    ]);
  });

  it("a requester's reply to a Waiting ticket hands it back: Open, or In progress when someone has it", async () => {
    const unassigned = await open();
    await setStatus(deps, agent, await ticketOf(unassigned), "Waiting");
    expect((await addReply(deps, requester, await ticketOf(unassigned), "Floor 2.")).status).toBe("Open");
    const assigned = await open();
    await changeFields(deps, agent, await ticketOf(assigned), { status: "Waiting", assigneeId: agent.id });
    expect((await addReply(deps, requester, await ticketOf(assigned), "Floor 3.")).status).toBe("In progress");
    expect((await t.db.ticket.findUniqueOrThrow({ where: { id: assigned } })).status).toBe("In progress");
    expect((await eventsOf(assigned)).at(-1)).toEqual(["status", "Waiting", "In progress"]);
  });

  it("an agent's public reply on a ticket nobody has takes it, in the same change; a note does not", async () => {
    const id = await open();
    seen.length = 0;
    await addNote(deps, agent, await ticketOf(id), "Looking into it.");
    expect((await t.db.ticket.findUniqueOrThrow({ where: { id } })).assigneeId).toBeNull();
    await addReply(deps, agent, await ticketOf(id), "On it.");
    expect((await t.db.ticket.findUniqueOrThrow({ where: { id } })).assigneeId).toBe(agent.id);
    expect(seen.at(-1)!.events.map((e) => [e.kind, e.toValue ?? null])).toEqual([
      ["reply", null],
      ["assignee", "Alex Agent"],
    ]);
    // Someone has it now: another agent's answer does not take it from them.
    const other = await createUser(t.db, { role: "agent", name: "Olga Other" });
    await addReply(deps, other, await ticketOf(id), "Me too.");
    expect((await t.db.ticket.findUniqueOrThrow({ where: { id } })).assigneeId).toBe(agent.id);
    // The desk can turn it off.
    const off = makeDeps({ ...t.config, assignOnReply: false }, t.db, { clock: t.clock, log: () => {} });
    const second = await open();
    await addReply(off, agent, await ticketOf(second), "On it.");
    expect((await t.db.ticket.findUniqueOrThrow({ where: { id: second } })).assigneeId).toBeNull();
  });

  it("staff replies leave the status alone unless they set one; a note never changes it", async () => {
    const id = await open();
    await setStatus(deps, agent, await ticketOf(id), "Waiting");
    expect((await addReply(deps, agent, await ticketOf(id), "Any news?")).status).toBeNull();
    expect(
      (await addNote(deps, agent, await ticketOf(id), "Chased the vendor.", { setStatus: "Closed" })).status,
    ).toBeNull();
    const posted = await addReply(deps, agent, await ticketOf(id), "Fixed.", { setStatus: "Closed" });
    expect(posted).toMatchObject({ status: "Closed", reopened: false });
    const row = await t.db.ticket.findUniqueOrThrow({ where: { id } });
    expect(row.status).toBe("Closed");
    expect(row.closedAt).toEqual(t.clock.now());
  });

  it("the same text from the same person within the repeat window is posted once", async () => {
    const id = await open();
    const first = await addReply(deps, requester, await ticketOf(id), "Same words.");
    const again = await addReply(deps, requester, await ticketOf(id), "Same words.");
    expect(first.replyId).not.toBeNull();
    expect(again).toEqual({ replyId: null, status: null, reopened: false });
    t.clock.advance(REPEAT_WINDOW_MS + 1);
    expect((await addReply(deps, requester, await ticketOf(id), "Same words.")).replyId).not.toBeNull();
    expect(await t.db.reply.count({ where: { ticketId: id } })).toBe(2);
    expect((await eventsOf(id)).filter(([kind]) => kind === "reply").length).toBe(2);
  });
});
