import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CurrentUser } from "../../src/env.js";
import { TAGS_PER_TICKET } from "../../src/tags/tags.js";
import { BULK_MAX } from "../../src/tickets/bulk.js";
import { setStatus } from "../../src/tickets/changes.js";
import { openTicket } from "../../src/tickets/open.js";
import { type Browser, browserAs, createUser, section, type TestApp, testApp } from "../helpers/app.js";

// Bulk triage on the queue: a box on each row and one form around the table. Each ticket is its own
// change through the pipeline at the version the page showed; what someone changed since is left as
// it is and named. Without JavaScript the answer is the view again with a message; with htmx the
// results in place. Requesters reach none of it.

let t: TestApp;
let agentUser: CurrentUser, otherAgent: CurrentUser, requesterUser: CurrentUser;
let agent: Browser, requester: Browser;

const open = async (subject: string) =>
  (await openTicket(t.deps, requesterUser, { subject, description: "At the kiosk.", priority: "Low" }, undefined)).id;
const row = (id: number) =>
  t.db.ticket.findUniqueOrThrow({ where: { id }, include: { tags: { include: { tag: true } } } });
/** The box a page shows for a ticket: "id.version". */
const boxOf = (html: string, id: number) => html.match(new RegExp(`name="t" value="(${id}\\.\\d+)"`))?.[1];

/** Posts the bulk form as a browser does: the ticked boxes (each `t`), the choices, the view. */
async function bulk(b: Browser, boxes: string[], fields: Record<string, string>, htmx?: "partial") {
  if (!b.csrf) await b.get("/account");
  const body = new URLSearchParams({ _csrf: b.csrf!, view: "status=active", ...fields });
  for (const box of boxes) body.append("t", box);
  return b.request("/queue/bulk", {
    method: "POST",
    body: body.toString(),
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    htmx,
    target: htmx ? "#queue-results" : undefined,
  });
}

beforeAll(async () => {
  t = await testApp();
  agentUser = await createUser(t.db, { role: "agent", name: "Alex Agent" });
  otherAgent = await createUser(t.db, { role: "agent", name: "Olga Other" });
  requesterUser = await createUser(t.db, { name: "Rita Requester" });
  agent = await browserAs(t, agentUser);
  requester = await browserAs(t, requesterUser);
});
afterAll(() => t.close());

describe("bulk triage", () => {
  it("shows a box on each row (ticket and version) and the form around the table; requesters and strangers are kept out", async () => {
    const id = await open("Bulk: the form");
    const page = await agent.get("/queue?status=active");
    expect(page.status).toBe(200);
    expect(boxOf(page.text, id)).toBe(`${id}.${(await row(id)).version}`);
    expect(page.text).toContain('<form id="bulk" method="post" action="/queue/bulk"');
    expect(page.text).toContain(`aria-label="Select ticket #${id}"`);
    expect(page.text).toContain('name="select" value="all"');
    expect((await bulk(requester, [`${id}.1`], { bulkPriority: "High" })).status).toBe(403);
    const anonymous = await t.app.request("/queue/bulk", { method: "POST" });
    expect([303, 403]).toContain(anonymous.status);
    expect((await row(id)).priority).toBe("Low");
  });

  it("changes each ticket with its own history, then shows the view again with what changed", async () => {
    const ids = [await open("Bulk: one"), await open("Bulk: two"), await open("Bulk: three")];
    const page = (await agent.get("/queue?status=active")).text;
    const boxes = ids.map((id) => boxOf(page, id)!);
    const answer = await bulk(agent, boxes, {
      bulkAssignee: "me",
      bulkStatus: "In progress",
      bulkPriority: "High",
      addTag: " Printer ",
      apply: "1",
    });
    expect(answer.status).toBe(303);
    expect(answer.location).toBe("/queue?status=active");
    for (const id of ids) {
      const ticket = await row(id);
      expect([ticket.status, ticket.priority, ticket.assigneeId]).toEqual(["In progress", "High", agentUser.id]);
      expect(ticket.tags.map((g) => g.tag.name)).toEqual(["printer"]);
      const kinds = (await t.db.ticketEvent.findMany({ where: { ticketId: id }, orderBy: { id: "asc" } })).map(
        (e) => e.kind,
      );
      expect(kinds).toEqual(["created", "status", "priority", "assignee", "tag"]);
    }
    const after = await agent.get("/queue?status=active");
    const numbers = ids.map((id) => `#${id}`);
    expect(section(after.text, "flash")).toContain(`3 tickets changed: ${numbers.join(", ")}.`);
    // The rows show it, and their boxes carry the new versions.
    expect(boxOf(after.text, ids[0]!)).toBe(`${ids[0]}.${(await row(ids[0]!)).version}`);
  });

  it("leaves a ticket someone changed since the page was loaded as it is and names it; the rest change", async () => {
    const [a, b] = [await open("Bulk: stale a"), await open("Bulk: stale b")];
    const page = (await agent.get("/queue?status=active")).text;
    const boxes = [boxOf(page, a)!, boxOf(page, b)!];
    // Someone else moves b on after the page was loaded.
    await setStatus(t.deps, otherAgent, await row(b), "Waiting");
    const answer = await bulk(agent, [...boxes, "999999.1"], { bulkPriority: "Urgent" });
    expect(answer.status).toBe(303);
    expect((await row(a)).priority).toBe("Urgent");
    expect(await row(b)).toMatchObject({ priority: "Low", status: "Waiting" });
    const flash = section((await agent.get("/queue?status=active")).text, "flash");
    expect(flash).toContain(`1 ticket changed: #${a}.`);
    expect(flash).toContain(`because someone changed them since you loaded the page: #${b}.`);
    expect(flash).toContain("Not found: #999999.");
  });

  it("says which were already as asked, takes a tag off, and leaves a ticket with no room for a tag as it was", async () => {
    const [a, full] = [await open("Bulk: as asked"), await open("Bulk: full of tags")];
    for (let i = 0; i < TAGS_PER_TICKET; i++) await agent.post(`/tickets/${full}/tags`, { name: `tag ${i}` });
    await agent.post(`/tickets/${a}/tags`, { name: "tag 0" });
    let page = (await agent.get("/queue?status=active")).text;
    const answer = await bulk(agent, [boxOf(page, a)!, boxOf(page, full)!], { bulkPriority: "High", addTag: "extra" });
    expect(answer.status).toBe(303);
    expect((await row(full)).priority).toBe("Low");
    expect((await row(full)).tags).toHaveLength(TAGS_PER_TICKET);
    expect(section((await agent.get("/queue")).text, "flash")).toContain(
      `because they hold ${TAGS_PER_TICKET} tags already: #${full}.`,
    );
    page = (await agent.get("/queue?status=active")).text;
    await bulk(agent, [boxOf(page, a)!], { bulkPriority: "High" });
    expect(section((await agent.get("/queue")).text, "flash")).toContain(`Already as asked: #${a}.`);
    page = (await agent.get("/queue?status=active")).text;
    await bulk(agent, [boxOf(page, a)!, boxOf(page, full)!], { removeTag: "TAG 0" });
    expect((await row(a)).tags.map((g) => g.tag.name)).toEqual(["extra"]);
    expect((await row(full)).tags).toHaveLength(TAGS_PER_TICKET - 1);
    const history = section((await agent.get(`/tickets/${a}`)).text, "history");
    expect(history).toContain("removed the tag “tag 0”");
  });

  it("sends the form back with 422, its choices kept and a message by the field, on bad input; nothing changes", async () => {
    const id = await open("Bulk: bad input");
    const page = (await agent.get("/queue?status=active")).text;
    const box = boxOf(page, id)!;
    const none = await bulk(agent, [], { bulkPriority: "High" });
    expect(none.status).toBe(422);
    expect(none.text).toContain('<p id="tickets-error" class="error">Select at least one ticket in the table.</p>');
    expect(none.text).toMatch(/<option value="High" selected="">/);
    const nothing = await bulk(agent, [box], {});
    expect(nothing.status).toBe(422);
    expect(nothing.text).toContain("Choose what to change");
    // The ticked box stays ticked.
    expect(nothing.text).toMatch(new RegExp(`value="${box.replace(".", "\\.")}" id="pick-${id}" checked=""`));
    const status = await bulk(agent, [box], { bulkStatus: "Nonsense" });
    expect(status.status).toBe(422);
    expect(status.text).toContain('<p id="bulkStatus-error" class="error">Choose a status.</p>');
    const priority = await bulk(agent, [box], { bulkPriority: "Whenever" });
    expect(priority.status).toBe(422);
    expect(priority.text).toContain('<p id="bulkPriority-error" class="error">Choose a priority.</p>');
    const tag = await bulk(agent, [box], { addTag: "<script>" });
    expect(tag.status).toBe(422);
    expect(tag.text).toContain('<p id="addTag-error" class="error">A tag starts with a letter or a number');
    expect(tag.text).toContain('value="&lt;script&gt;"');
    const same = await bulk(agent, [box], { addTag: "Printer", removeTag: " printer " });
    expect(same.status).toBe(422);
    expect(same.text).toContain('<p id="removeTag-error" class="error">A tag cannot be added and removed at once.</p>');
    const notStaff = await bulk(agent, [box], { bulkAssignee: String(requesterUser.id) });
    expect(notStaff.status).toBe(422);
    expect(notStaff.text).toContain('<p id="bulkAssignee-error" class="error">Choose someone who is an active agent');
    const junk = await bulk(agent, [box], { bulkAssignee: "everyone" });
    expect(junk.status).toBe(422);
    const many = Array.from({ length: BULK_MAX + 1 }, (_, i) => `${i + 1}.1`);
    const tooMany = await bulk(agent, many, { bulkPriority: "High" });
    expect(tooMany.status).toBe(422);
    expect(tooMany.text).toContain(`Select at most ${BULK_MAX} tickets at once.`);
    // Boxes that no page of ours writes count as none.
    expect((await bulk(agent, ["12", "x.1", "-1.2", "1.2.3"], { bulkPriority: "High" })).status).toBe(422);
    const ticket = await row(id);
    expect([ticket.priority, ticket.status, ticket.assigneeId, ticket.tags.length]).toEqual(["Low", "Open", null, 0]);
  });

  it("'Select all on this page' comes back with every box ticked (without JavaScript), then clears; the choices stay", async () => {
    await open("Bulk: select all");
    const all = await bulk(agent, [], { select: "all", bulkPriority: "Urgent" });
    expect(all.status).toBe(200);
    const boxes = [...all.text.matchAll(/<input type="checkbox" name="t"[^>]*>/g)].map((m) => m[0]);
    expect(boxes.length).toBeGreaterThan(1);
    for (const box of boxes) expect(box).toContain('checked=""');
    expect(all.text).toContain('name="select" value="none"');
    expect(all.text).toMatch(/<option value="Urgent" selected="">/);
    const cleared = await bulk(agent, [], { select: "none" });
    expect(cleared.text).not.toMatch(/name="t"[^>]*checked=""/);
    expect(cleared.text).toContain('name="select" value="all"');
  });

  it("with htmx answers the queue's results in place, the message out of band, the boxes of what was left still ticked", async () => {
    const [a, b] = [await open("Bulk: in place a"), await open("Bulk: in place b")];
    const page = (await agent.get("/queue?status=active")).text;
    const boxes = [boxOf(page, a)!, boxOf(page, b)!];
    await setStatus(t.deps, otherAgent, await row(b), "Waiting");
    const answer = await bulk(agent, boxes, { bulkAssignee: String(otherAgent.id) }, "partial");
    expect(answer.status).toBe(200);
    expect(answer.text).toMatch(/^<div id="queue-results"/);
    expect(answer.text).toContain(
      '<div id="flash" class="flash" role="status" aria-live="polite" data-hx-swap-oob="true">',
    );
    expect(answer.text).toContain(`1 ticket changed: #${a}.`);
    expect(answer.text).toMatch(new RegExp(`id="pick-${b}" checked=""`));
    expect(answer.text).not.toMatch(new RegExp(`id="pick-${a}" checked=""`));
    expect((await row(a)).assigneeId).toBe(otherAgent.id);
    const refused = await bulk(agent, [], { bulkPriority: "High" }, "partial");
    expect(refused.status).toBe(422);
    expect(refused.text).toMatch(/^<div id="queue-results"/);
  });
});
