import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { CurrentUser } from "../../src/env.js";
import { dueState } from "../../src/sla/due.js";
import { DEFAULT_TARGETS, defaultPolicy, savePolicy } from "../../src/sla/policy.js";
import { changeFields, closeTicket, reopenTicket, setAssignee, setStatus } from "../../src/tickets/changes.js";
import { findTicket } from "../../src/tickets/find.js";
import { openTicket } from "../../src/tickets/open.js";
import { addNote, addReply } from "../../src/tickets/thread.js";
import { createUser, type TestApp, testApp } from "../helpers/app.js";

// The SLA subscriber on every kind of change: what each one does to a ticket's due times. The desk
// keeps the default policy (09:00-17:00 Monday to Friday, UTC here) unless a test saves another.
// Medium: first response 240 business minutes, resolution 1,440 (three business days).

let t: TestApp;
let requester: CurrentUser, agent: CurrentUser;
const at = (iso: string) => {
  t.clock.t = Date.parse(iso);
};
const iso = (d: Date | null) => d?.toISOString() ?? null;

beforeAll(async () => {
  t = await testApp();
  requester = await createUser(t.db, { name: "Rita Requester" });
  agent = await createUser(t.db, { name: "Alex Agent", role: "agent" });
});
afterAll(() => t.close());
beforeEach(async () => {
  await t.db.setting.deleteMany({ where: { key: "sla.policy" } });
});

const open = async (priority: "Low" | "Medium" | "High" | "Urgent" = "Medium") =>
  (
    await openTicket(
      t.deps,
      requester,
      { subject: `Printer jams ${Math.random()}`, description: "On floor 2.", priority },
      undefined,
    )
  ).id;
const seen = async (id: number) => (await findTicket(t.deps, agent, id))!;
const sla = async (id: number) => {
  const row = await t.db.ticket.findUniqueOrThrow({ where: { id } });
  return {
    firstDue: iso(row.firstResponseDueAt),
    resolutionDue: iso(row.resolutionDueAt),
    answered: iso(row.firstResponseAt),
    pausedAt: iso(row.slaPausedAt),
    paused: row.slaPausedMinutes,
    next: iso(row.nextDueAt),
    risk: iso(row.nextRiskAt),
  };
};

describe("a new ticket", () => {
  it("gets both due times in business hours, the nearer one next, and its at-risk instant at 80 %", async () => {
    at("2026-11-25T09:00:00Z"); // a Wednesday
    const id = await open();
    // The row's "updated" time is the change's (the desk's clock), not the wall clock's.
    expect((await t.db.ticket.findUniqueOrThrow({ where: { id } })).updatedAt.toISOString()).toBe(
      "2026-11-25T09:00:00.000Z",
    );
    expect(await sla(id)).toEqual({
      firstDue: "2026-11-25T13:00:00.000Z",
      resolutionDue: "2026-11-27T17:00:00.000Z",
      answered: null,
      pausedAt: null,
      paused: 0,
      next: "2026-11-25T13:00:00.000Z",
      risk: "2026-11-25T12:12:00.000Z", // 192 of 240 minutes
    });
  });

  it("opened on a Saturday counts from Monday 09:00", async () => {
    at("2026-11-28T15:00:00Z");
    const id = await open("Urgent");
    expect((await sla(id)).firstDue).toBe("2026-11-30T09:30:00.000Z");
  });

  it("a priority without targets has no due times", async () => {
    await savePolicy(t.db, {
      ...defaultPolicy("UTC"),
      targets: { ...DEFAULT_TARGETS, Low: { firstResponse: null, resolution: null } },
    });
    at("2026-11-25T09:00:00Z");
    const id = await open("Low");
    expect(await sla(id)).toMatchObject({ firstDue: null, resolutionDue: null, next: null, risk: null });
  });
});

describe("changes that move the clock", () => {
  it("the desk's first public reply meets the first response; the next due time is the resolution", async () => {
    at("2026-11-25T09:00:00Z");
    const id = await open();
    at("2026-11-25T10:00:00Z");
    await addReply(t.deps, requester, await seen(id), "Any news?");
    expect((await sla(id)).answered).toBeNull(); // the requester's own reply answers nothing
    at("2026-11-25T10:30:00Z");
    await addNote(t.deps, agent, await seen(id), "Looking.");
    expect((await sla(id)).answered).toBeNull(); // nor does an internal note
    at("2026-11-25T11:00:00Z");
    await addReply(t.deps, agent, await seen(id), "On it.");
    expect(await sla(id)).toMatchObject({
      firstDue: "2026-11-25T13:00:00.000Z",
      answered: "2026-11-25T11:00:00.000Z",
      next: "2026-11-27T17:00:00.000Z",
    });
  });

  it("a priority change recomputes what is still open from the ticket's creation", async () => {
    at("2026-11-25T09:00:00Z");
    const id = await open();
    at("2026-11-25T09:10:00Z");
    await changeFields(t.deps, agent, await seen(id), { priority: "Urgent" });
    expect(await sla(id)).toMatchObject({
      firstDue: "2026-11-25T09:30:00.000Z",
      resolutionDue: "2026-11-25T13:00:00.000Z",
      next: "2026-11-25T09:30:00.000Z",
      risk: "2026-11-25T09:24:00.000Z",
    });
    at("2026-11-25T09:40:00Z");
    expect(dueState(await t.db.ticket.findUniqueOrThrow({ where: { id } }), t.clock.now())).toEqual({
      kind: "overdue",
      at: new Date("2026-11-25T09:30:00Z"),
    });
  });

  it("Waiting stops the clock and the requester's reply starts it again, the paused business minutes added", async () => {
    at("2026-11-25T09:00:00Z");
    const id = await open();
    at("2026-11-25T11:00:00Z");
    await addReply(t.deps, agent, await seen(id), "Which printer?", { setStatus: "Waiting" });
    expect(await sla(id)).toMatchObject({ pausedAt: "2026-11-25T11:00:00.000Z", next: null, risk: null });
    expect(dueState(await t.db.ticket.findUniqueOrThrow({ where: { id } }), t.clock.now())).toEqual({ kind: "paused" });
    // Wednesday 11:00 to Thursday 11:00 is 8 business hours.
    at("2026-11-26T11:00:00Z");
    await addReply(t.deps, requester, await seen(id), "The one on floor 2.");
    expect(await sla(id)).toMatchObject({
      pausedAt: null,
      paused: 480,
      resolutionDue: "2026-11-30T17:00:00.000Z", // Friday 17:00 plus a business day
      next: "2026-11-30T17:00:00.000Z",
    });
  });

  it("a pause across a weekend counts only its business minutes", async () => {
    at("2026-11-27T09:00:00Z"); // Friday
    const id = await open("Urgent");
    await setStatus(t.deps, agent, await seen(id), "Waiting");
    at("2026-11-27T16:00:00Z");
    // A priority change while waiting recomputes but does not restart the pause.
    await changeFields(t.deps, agent, await seen(id), { priority: "High" });
    at("2026-11-30T10:00:00Z"); // Monday
    await setStatus(t.deps, agent, await seen(id), "Open");
    const after = await sla(id);
    expect(after.paused).toBe(9 * 60); // Friday 09:00-17:00 and Monday 09:00-10:00
    expect(after.firstDue).toBe("2026-11-30T12:00:00.000Z"); // 120 minutes of High after 540 paused
  });

  it("closing stops the clock and meets the resolution; reopening resumes it with the closed time added", async () => {
    at("2026-11-25T09:00:00Z");
    const id = await open("Urgent");
    at("2026-11-25T12:00:00Z");
    await closeTicket(t.deps, agent, await seen(id));
    const closed = await t.db.ticket.findUniqueOrThrow({ where: { id } });
    expect(closed.closedAt! <= closed.resolutionDueAt!).toBe(true);
    expect(closed.nextDueAt).toBeNull();
    at("2026-11-25T14:00:00Z");
    await reopenTicket(t.deps, requester, await seen(id));
    expect(await sla(id)).toMatchObject({
      paused: 120,
      resolutionDue: "2026-11-25T15:00:00.000Z",
      next: "2026-11-25T09:30:00.000Z", // the first response is still not given, and overdue
    });
  });

  it("an assignee change or a note leaves the due times alone", async () => {
    at("2026-11-25T09:00:00Z");
    const id = await open();
    const before = await t.db.ticket.findUniqueOrThrow({ where: { id } });
    at("2026-11-25T16:00:00Z");
    await setAssignee(t.deps, agent, await seen(id), agent.id);
    await addNote(t.deps, agent, await seen(id), "Mine.");
    const after = await t.db.ticket.findUniqueOrThrow({ where: { id } });
    expect([after.nextDueAt, after.nextRiskAt, after.firstResponseDueAt]).toEqual([
      before.nextDueAt,
      before.nextRiskAt,
      before.firstResponseDueAt,
    ]);
  });

  it("a saved policy holds for the next change: an empty calendar is around the clock", async () => {
    await savePolicy(t.db, { ...defaultPolicy("UTC"), calendar: { zone: "UTC", hours: {}, holidays: [] } });
    at("2026-11-28T15:00:00Z"); // Saturday
    const id = await open("Urgent");
    expect((await sla(id)).firstDue).toBe("2026-11-28T15:30:00.000Z");
  });
});
