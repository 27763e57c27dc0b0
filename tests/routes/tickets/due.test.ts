import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CurrentUser } from "../../../src/env.js";
import { countByStatus } from "../../../src/tickets/counts.js";
import { findTicket } from "../../../src/tickets/find.js";
import { openTicket } from "../../../src/tickets/open.js";
import { addReply } from "../../../src/tickets/thread.js";
import { browserAs, createUser, section, type TestApp, testApp } from "../../helpers/app.js";

// Due times where agents read them: a column of the queue and the ticket's facts, in words, from
// the stored times and the clock when the page is made. Requesters see neither.

let t: TestApp;
let requesterUser: CurrentUser, agentUser: CurrentUser;
/** Signed in now: a moved clock would end a session started before it (SESSION_IDLE_MINUTES). */
const agent = { get: async (path: string) => (await browserAs(t, agentUser)).get(path) };
const requester = { get: async (path: string) => (await browserAs(t, requesterUser)).get(path) };

beforeAll(async () => {
  t = await testApp();
  requesterUser = await createUser(t.db, { name: "Rita Requester" });
  agentUser = await createUser(t.db, { name: "Alex Agent", role: "agent" });
});
afterAll(() => t.close());

const open = async (subject: string, priority: "Medium" | "Urgent") =>
  (await openTicket(t.deps, requesterUser, { subject, description: "On floor 2.", priority }, undefined)).id;
/** The queue row of a ticket: from its number's cell to the end of its row. */
const rowOf = (html: string, id: number) => {
  const at = html.indexOf(`<td>#${id}</td>`);
  return at < 0 ? "" : html.slice(at, html.indexOf("</tr>", at));
};

describe("due times in the queue and on the ticket", () => {
  it("say due, at risk, overdue and paused in words, as the clock moves", async () => {
    t.clock.t = Date.parse("2026-11-25T09:00:00Z"); // Wednesday, office hours in UTC
    const medium = await open("Medium one", "Medium"); // first response due 13:00
    const urgent = await open("Urgent one", "Urgent"); // first response due 09:30
    let queue = await agent.get("/queue?status=active");
    expect(queue.text).toContain('<th scope="col">Due</th>');
    expect(rowOf(queue.text, medium)).toContain("Due <time");
    expect(rowOf(queue.text, medium)).toContain("in 4 hours");
    expect(rowOf(queue.text, urgent)).toContain("in 30 minutes");

    t.clock.t = Date.parse("2026-11-25T09:25:00Z"); // 25 of 30 minutes used: past 80 %
    queue = await agent.get("/queue?status=active");
    expect(rowOf(queue.text, urgent)).toContain('class="due due-risk"');
    expect(rowOf(queue.text, urgent)).toContain("At risk: due <time");

    t.clock.t = Date.parse("2026-11-25T12:30:00Z");
    queue = await agent.get("/queue?status=active");
    expect(rowOf(queue.text, urgent)).toContain("Overdue: was due <time");
    expect(rowOf(queue.text, urgent)).toContain("3 hours ago");

    await addReply(t.deps, agentUser, (await findTicket(t.deps, agentUser, medium))!, "Which printer?", {
      setStatus: "Waiting",
    });
    queue = await agent.get("/queue?status=active");
    expect(rowOf(queue.text, medium)).toContain("Paused (the clock stands still)");
  });

  it("the ticket page shows both targets and whether they were met, to staff only", async () => {
    t.clock.t = Date.parse("2026-11-25T09:00:00Z");
    const id = await open("Met or missed", "Urgent");
    t.clock.t = Date.parse("2026-11-25T09:10:00Z");
    await addReply(t.deps, agentUser, (await findTicket(t.deps, agentUser, id))!, "On it.");
    t.clock.t = Date.parse("2026-11-25T14:00:00Z");
    const page = await agent.get(`/tickets/${id}`);
    const facts = section(page.text, "ticket-state");
    expect(facts).toContain("<dt>First response</dt>");
    expect(facts).toMatch(/<dd><span class="due due-met">Met: due <time[^>]*>[^<]*<\/time>, done <time/);
    expect(facts).toContain("<dt>Resolution</dt>");
    expect(facts).toMatch(/Overdue: was due <time[^>]*>1 hour ago/); // 4 business hours: 13:00
    const own = await requester.get(`/tickets/${id}`);
    expect(own.status).toBe(200);
    expect(own.text).not.toContain("First response");
    expect(own.text).not.toContain("due-");
    const list = await requester.get("/tickets");
    expect(list.text).not.toContain('<th scope="col">Due</th>');
  });

  it("the queue filters overdue and at risk, sorts by due soonest, and the dashboard counts them per priority", async () => {
    await t.db.ticket.updateMany({ data: { status: "Closed", nextDueAt: null, nextRiskAt: null } });
    t.clock.t = Date.parse("2026-11-25T09:00:00Z");
    const late = await open("Late urgent", "Urgent"); // due 09:30
    const risky = await open("Risky medium", "Medium"); // due 13:00, at risk from 12:12
    const calm = await open("Calm medium", "Medium"); // opened later: due later
    t.clock.t = Date.parse("2026-11-25T09:20:00Z");
    await t.db.ticket.update({
      where: { id: calm },
      data: { nextDueAt: new Date("2026-11-25T15:00:00Z"), nextRiskAt: new Date("2026-11-25T14:00:00Z") },
    });
    t.clock.t = Date.parse("2026-11-25T12:30:00Z");
    const ids = (html: string) => [...html.matchAll(/<td>#(\d+)<\/td>/g)].map((m) => Number(m[1]));
    expect(ids((await agent.get("/queue?status=active&sort=due")).text)).toEqual([late, risky, calm]);
    expect(ids((await agent.get("/queue?status=active&due=overdue")).text)).toEqual([late]);
    expect(ids((await agent.get("/queue?status=active&due=risk")).text)).toEqual([risky]);
    // Anything else in the URL is no filter at all.
    expect(ids((await agent.get("/queue?status=active&due=soon&sort=late")).text).sort()).toEqual(
      [late, risky, calm].sort(),
    );
    const dash = await agent.get("/dashboard");
    expect(dash.text).toContain("Due times by priority");
    expect(dash.text).toContain(
      '<a href="/queue?status=active&amp;priority=Urgent&amp;due=overdue&amp;sort=due">1</a>',
    );
    expect(dash.text).toContain('<a href="/queue?status=active&amp;priority=Medium&amp;due=risk&amp;sort=due">1</a>');
    expect(dash.text).toContain(
      '<a href="/queue?status=active&amp;priority=Medium&amp;due=overdue&amp;sort=due">0</a>',
    );
    const requesterAsks = await requester.get("/queue?due=overdue");
    expect(requesterAsks.status).toBe(403);
  });

  it("under a due filter, a status whose clock stands still has none, and is neither read nor counted", async () => {
    t.clock.t = Date.parse("2026-11-25T12:30:00Z");
    const ids = (html: string) => [...html.matchAll(/<td>#(\d+)<\/td>/g)].map((m) => Number(m[1]));
    // No change of ours leaves a due time on a Waiting ticket (sla/due.ts); one written behind the
    // app's back shows the filter never reads Waiting tickets for it.
    const odd = await open("Waiting with a due time", "Medium");
    await t.db.ticket.update({
      where: { id: odd },
      data: { status: "Waiting", nextDueAt: new Date("2026-11-25T10:00:00Z"), nextRiskAt: null },
    });
    expect(ids((await agent.get("/queue?status=Waiting")).text)).toContain(odd);
    expect(ids((await agent.get("/queue?status=Waiting&due=overdue")).text)).toEqual([]);
    // Nor counted (the tabs, when not counted from the page's own rows).
    const due = { filter: "overdue" as const, now: new Date(t.clock.t) };
    const stopped = ["Waiting", "Closed"];
    expect(await countByStatus(t.deps, { due, stopped })).not.toHaveProperty("Waiting");
    expect(await countByStatus(t.deps, { due })).toHaveProperty("Waiting", 1);
    await t.db.ticket.update({ where: { id: odd }, data: { status: "Closed", nextDueAt: null } });
  });
});
