import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { contains } from "../../src/db/match.js";
import type { CurrentUser, Deps } from "../../src/env.js";
import { COUNT_LIMIT, ESTIMATE_FACTOR } from "../../src/tickets/count-limit.js";
import { countByStatus } from "../../src/tickets/counts.js";
import { type ListedTicket, listTickets, type TicketFilters } from "../../src/tickets/list.js";
import { PRIORITIES, SORTS, type Sort, STATUSES } from "../../src/tickets/model.js";
import { browserAs, createUser, type TestApp, testApp } from "../helpers/app.js";
import { provider } from "../helpers/databases.js";

// The lists are one tagged SQL statement each (readRows, people joined in) and search is the FTS5 trigram
// index on SQLite, pg_trgm on PostgreSQL. The reference below is the Prisma query the lists used
// before: on the same rows, every filter, sort and page must come back exactly the same.

let t: TestApp;
let deps: Deps;
let ann: CurrentUser;
let bob: CurrentUser;
let zoe: CurrentUser;
let agent: CurrentUser;
let other: CurrentUser;

function referenceWhere(d: Deps, f: TicketFilters) {
  const where: Record<string, unknown> = {};
  if (f.requesterId !== undefined) where.requesterId = f.requesterId;
  if (f.requesterMatch)
    where.requester = { OR: [{ name: contains(d, f.requesterMatch) }, { email: contains(d, f.requesterMatch) }] };
  if (f.status) where.status = f.status === "active" ? { not: "Closed" } : f.status;
  if (f.priority) where.priority = f.priority;
  if (f.assigneeId !== undefined) where.assigneeId = f.assigneeId;
  if (f.lastSpoke === "requester") where.AND = [{ lastSpoke: "requester" }, { status: { not: "Closed" } }];
  else if (f.lastSpoke) where.lastSpoke = f.lastSpoke;
  if (f.due?.filter === "overdue") where.nextDueAt = { lte: f.due.now };
  else if (f.due) Object.assign(where, { nextRiskAt: { lte: f.due.now }, nextDueAt: { gt: f.due.now } });
  if (f.q) {
    const match = contains(d, f.q);
    where.OR = [
      { subject: match },
      { description: match },
      ...(f.searchReplies ? [{ replies: { some: { body: match } } }] : []),
    ];
  }
  return where;
}

const rank = (p: string) => PRIORITIES.indexOf(p as (typeof PRIORITIES)[number]);

/** Every matching row in the list's order, through Prisma's query builder. */
async function reference(f: TicketFilters, people: boolean): Promise<ListedTicket[]> {
  const rows = await t.db.ticket.findMany({
    where: referenceWhere(deps, f),
    select: {
      id: true,
      subject: true,
      priority: true,
      status: true,
      createdAt: true,
      updatedAt: true,
      version: true,
      guest: true,
      lastSpoke: true,
      nextDueAt: true,
      nextRiskAt: true,
      slaPausedAt: true,
      ...(people
        ? {
            requester: { select: { id: true, name: true } },
            assignee: { select: { id: true, name: true } },
            tags: { select: { tag: { select: { name: true } } } },
          }
        : {}),
    },
  });
  // The queue's rows (people) carry their tags' names, sorted as the ticket page sorts them.
  const listed = rows.map((row) => {
    if (!("tags" in row)) return row;
    const { tags, ...rest } = row as unknown as { tags: { tag: { name: string } }[] };
    return { ...rest, tags: tags.map((g) => g.tag.name).sort((a, b) => a.localeCompare(b)) };
  });
  const sort: Sort = f.sort ?? "newest";
  const order = (a: ListedTicket, b: ListedTicket) =>
    sort === "newest"
      ? b.id - a.id
      : sort === "oldest"
        ? a.id - b.id
        : sort === "updated"
          ? b.updatedAt.getTime() - a.updatedAt.getTime() || b.id - a.id
          : sort === "due"
            ? // The nearest due time first, then the tickets with no running clock, newest first.
              (a.nextDueAt ? 0 : 1) - (b.nextDueAt ? 0 : 1) ||
              (a.nextDueAt && b.nextDueAt ? a.nextDueAt.getTime() - b.nextDueAt.getTime() || a.id - b.id : b.id - a.id)
            : rank(b.priority) - rank(a.priority) || b.id - a.id;
  return (listed as ListedTicket[]).sort(order);
}

/** Every page of the list, walked by its cursors, `take` rows at a time. */
async function walk(f: TicketFilters, people: boolean, take = 7): Promise<ListedTicket[]> {
  const all: ListedTicket[] = [];
  let cursor: string | undefined;
  for (let pages = 0; pages < 100; pages++) {
    const page = await listTickets(deps, f, cursor, { take, people });
    all.push(...page.tickets.map(({ found: _, ...row }) => row));
    if (!page.next) return all;
    cursor = page.next;
  }
  throw new Error("the pages never ended");
}

beforeAll(async () => {
  t = await testApp();
  deps = t.deps;
  ann = await createUser(t.db, { name: "Ann Lee", email: "ann@example.com" });
  bob = await createUser(t.db, { name: "Bob 100% Sure", email: "bob_b@example.org" });
  zoe = await createUser(t.db, { name: "Zoë Ünal", email: "zoe@example.net" });
  agent = await createUser(t.db, { name: "Agent Ada", role: "agent" });
  other = await createUser(t.db, { name: "Agent Oz", role: "agent" });
  const subjects = [
    "The printer is jammed",
    "PRINTER toner empty",
    "printers on floor 2",
    "Wifi drops at 100% load",
    "under_score in my file name",
    "Café menu screen is blank",
    'My print* "quoted" OR NEAR(a b) subject:text -minus',
    "VPN will not connect",
    "Badge reader",
    "Monitor flickers",
  ];
  const people = [ann, bob, zoe];
  const base = Date.parse("2026-11-20T09:00:00Z");
  for (let i = 0; i < 60; i++) {
    const ticket = await t.db.ticket.create({
      data: {
        subject: `${subjects[i % subjects.length]} (${i})`,
        description: i % 7 === 0 ? `Also the SCANNER: ${"x".repeat(i)} and more` : `Ticket ${i}, nothing else`,
        priority: PRIORITIES[i % 4]!,
        status: STATUSES[(i * 3) % 4]!,
        requesterId: people[i % 3]!.id,
        assigneeId: i % 5 === 0 ? null : i % 2 ? agent.id : other.id,
        guest: i % 11 === 0,
        // The desk answered the tickets it replied to (below); the requester spoke last on the rest.
        lastSpoke: i % 6 === 0 ? "staff" : "requester",
        // Ties in updatedAt: the keyset must break them by id.
        updatedAt: new Date(base + Math.floor(i / 3) * 60_000),
        // Due times with ties (every seventh hour again), at risk half an hour before; none on every fourth.
        nextDueAt: i % 4 === 0 ? null : new Date(base + (i % 7) * 3_600_000),
        nextRiskAt: i % 4 === 0 ? null : new Date(base + (i % 7) * 3_600_000 - 1_800_000),
      },
    });
    if (i % 6 === 0)
      await t.db.reply.create({
        data: { ticketId: ticket.id, authorId: agent.id, body: `Swapped the toner cartridge ${i}` },
      });
    if (i % 9 === 0)
      await t.db.reply.create({
        data: { ticketId: ticket.id, authorId: agent.id, body: "Internal: vendor ticket CASE-4471", internal: true },
      });
    // Tags: none, one, or two (named so their order is not the order they were added in).
    const tags = [["wifi"], [], ["zebra", "ábaco"], ["printer-2"]][i % 4]!;
    for (const name of tags)
      await t.db.ticketTag.create({
        data: {
          ticket: { connect: { id: ticket.id } },
          tag: { connectOrCreate: { where: { name }, create: { name } } },
        },
      });
  }
});
afterAll(() => t.close());

describe("the lists' SQL returns exactly what the Prisma queries returned", () => {
  const filterSets: [string, () => TicketFilters][] = [
    ["everything", () => ({})],
    ["one requester", () => ({ requesterId: ann.id })],
    ["active", () => ({ status: "active" })],
    ["a status", () => ({ status: "Waiting" })],
    ["a priority", () => ({ priority: "High" })],
    ["an assignee", () => ({ assigneeId: agent.id })],
    ["unassigned", () => ({ assigneeId: null })],
    ["needs reply (the requester spoke last, not closed)", () => ({ lastSpoke: "requester" })],
    ["answered, in a priority", () => ({ lastSpoke: "staff", priority: "Low" })],
    ["overdue", () => ({ due: { filter: "overdue", now: new Date(Date.parse("2026-11-20T12:00:00Z")) } })],
    [
      "at risk, not closed",
      () => ({ due: { filter: "risk", now: new Date(Date.parse("2026-11-20T11:40:00Z")) }, status: "active" }),
    ],
    [
      "overdue, with a search",
      () => ({ due: { filter: "overdue", now: new Date("2026-11-20T15:00:00Z") }, q: "printer" }),
    ],
    ["needs reply, with a search", () => ({ lastSpoke: "requester", q: "printer", status: "Open" })],
    ["a requester's name, any case", () => ({ requesterMatch: "ÜNAL" })],
    ["a requester's address with _", () => ({ requesterMatch: "b_b@" })],
    ["a search", () => ({ q: "printer" })],
    ["a search in replies too", () => ({ q: "toner", searchReplies: true })],
    ["a search of two letters", () => ({ q: "fé" })],
    ["a search, a requester and a status", () => ({ q: "SCANNER", requesterId: zoe.id, status: "active" })],
    ["a search read from the index, with a requester's name", () => ({ q: "nothing else", requesterMatch: "e" })],
    ["everything at once", () => ({ q: "er", requesterMatch: "a", status: "Open", priority: "Low" })],
    // Filters an index answers alone (or in part), leaving few tickets: each one's text is read.
    ["a search, a status and a priority", () => ({ q: "print", status: "Open", priority: "Low" })],
    ["a search of one requester's tickets", () => ({ q: "scanner", requesterId: ann.id })],
    [
      "a search in replies, of one assignee's tickets in a status",
      () => ({
        q: "toner",
        searchReplies: true,
        assigneeId: other.id,
        status: "Waiting",
      }),
    ],
    [
      "a search of one assignee's tickets in a priority",
      () => ({ q: "PRINT", assigneeId: agent.id, priority: "Medium", searchReplies: true }),
    ],
    [
      "a search in replies of unassigned tickets in a priority",
      () => ({ q: "toner", searchReplies: true, assigneeId: null, priority: "Low" }),
    ],
  ];
  for (const [name, filters] of filterSets) {
    it.each(SORTS)(`${name}, sorted by %s, every page`, async (sort) => {
      for (const people of [false, true]) {
        const f = { ...filters(), sort };
        const expected = await reference(f, people);
        expect(await walk(f, people)).toEqual(expected);
        expect(expected.length, "the case must have rows to compare").toBeGreaterThan(0);
      }
    });
  }

  it("the status counts match Prisma's groupBy", async () => {
    for (const [, filters] of filterSets) {
      const f = filters();
      const grouped = await t.db.ticket.groupBy({
        by: ["status"],
        where: referenceWhere(deps, { ...f, status: undefined }),
        _count: { _all: true },
      });
      expect(await countByStatus(deps, f)).toEqual(Object.fromEntries(grouped.map((g) => [g.status, g._count._all])));
    }
  });

  it("a search that matches more than the limit has no counts; the list itself is whole", async () => {
    const many = Array.from({ length: COUNT_LIMIT + 1 }, (_, i) => ({
      subject: `Zeppelin ${i}`,
      description: "Moored",
      requesterId: zoe.id,
    }));
    await t.db.ticket.createMany({ data: many });
    try {
      expect(await countByStatus(deps, { q: "zeppelin" })).toBeNull();
      expect(await countByStatus(deps, { q: "zeppelin 1000" })).toEqual({ Open: 1 });
      expect(await walk({ q: "zeppelin" }, false, 200)).toHaveLength(COUNT_LIMIT + 1);
      // More than FEW_FILTERED tickets in the filters alone: the search index leads, same answer.
      for (const f of [
        { q: "zeppelin 99", requesterId: zoe.id },
        { q: "moored", status: "Open" as const },
      ]) {
        for (const sort of SORTS)
          expect(await walk({ ...f, sort }, false, 200)).toEqual(await reference({ ...f, sort }, false));
        expect(await countByStatus(deps, f)).toEqual(
          f.q === "moored"
            ? null
            : { Open: await t.db.ticket.count({ where: { subject: { contains: "Zeppelin 99" } } }) },
        );
      }
      const page = await (await browserAs(t, agent)).get("/queue?q=zeppelin");
      expect(page.text).toContain("More than 1,000 tickets match this search, too many to count.");
      expect(page.text).toMatch(/aria-current="true">All<\/a>/);
      // Without a search each status is counted up to the limit, from its index: the Open tab stops
      // at "more than 1,000" (and so do All and Not closed), the others are exact.
      const grouped = await t.db.ticket.groupBy({ by: ["status"], _count: { _all: true } });
      const exact = Object.fromEntries(grouped.map((g) => [g.status, g._count._all]));
      expect(exact.Open).toBeGreaterThan(COUNT_LIMIT);
      expect(await countByStatus(deps, {})).toEqual({ ...exact, Open: COUNT_LIMIT + 1 });
      expect(await countByStatus(deps, { requesterId: zoe.id })).toEqual({
        ...Object.fromEntries(
          (await t.db.ticket.groupBy({ by: ["status"], where: { requesterId: zoe.id }, _count: { _all: true } })).map(
            (g) => [g.status, g._count._all],
          ),
        ),
        Open: COUNT_LIMIT + 1,
      });
      const queue = (await (await browserAs(t, agent)).get("/queue")).text;
      for (const tab of ["All: more than 1,000", "Not closed: more than 1,000", "Open: more than 1,000"])
        expect(queue).toContain(tab);
      expect(queue).toContain(`Closed: ${exact.Closed}`);
      expect(queue).not.toContain("too many to count");
    } finally {
      await t.db.ticket.deleteMany({ where: { subject: { startsWith: "Zeppelin" } } });
    }
  });

  it.runIf(provider() === "sqlite")(
    "SQLite: the newest matches of a search decide: counted exactly, or not at all when far more than the limit",
    async () => {
      // 1,100 gondolas: the oldest 99 Urgent, and 10 of the newest 1,001.
      const gondolas = (first?: number) =>
        Array.from({ length: 1100 }, (_, i) => ({
          ...(first ? { id: first + i } : {}),
          subject: `Gondola ${i}`,
          description: "Afloat",
          requesterId: zoe.id,
          priority: i < 99 || (i >= 100 && i % 100 === 0) ? "Urgent" : "Low",
        }));
      const urgent = { q: "gondola", priority: "Urgent" as const, searchReplies: true };
      try {
        await t.db.ticket.createMany({ data: gondolas() });
        // The newest 1,001 keep 10: an estimate far under the limit, so the rest is counted, exactly.
        expect(await countByStatus(deps, urgent)).toEqual({ Open: 109 });
        expect(await countByStatus(deps, { q: "gondola 10", priority: "Urgent" })).toEqual({ Open: 3 });
        expect(await countByStatus(deps, { q: "gondola" })).toBeNull();
        // The same tickets after a jump of a million ids: the walk spans a thousandth of the ids,
        // so its 10 stand for 10,000 and nothing is counted (ids are taken as spread evenly).
        await t.db.ticket.deleteMany({ where: { subject: { startsWith: "Gondola" } } });
        await t.db.ticket.createMany({ data: gondolas(1_000_000) });
        expect(await countByStatus(deps, urgent)).toBeNull();
        expect(await countByStatus(deps, { q: "gondola 10", priority: "Urgent" })).toEqual({ Open: 3 });
      } finally {
        await t.db.ticket.deleteMany({ where: { subject: { startsWith: "Gondola" } } });
      }
    },
  );

  it.runIf(provider() === "postgresql")(
    "PostgreSQL: a search its statistics say matches far more than the limit is not counted at all",
    async () => {
      const n = ESTIMATE_FACTOR * COUNT_LIMIT + 2000;
      const data = Array.from({ length: n }, (_, i) => ({
        subject: `Gondola ${i}`,
        description: "Afloat",
        requesterId: zoe.id,
      }));
      // Autovacuum must not refresh the statistics behind the test's back.
      const tables = ['"Ticket"', '"TicketSearch"'];
      for (const table of tables) await t.db.$executeRawUnsafe(`ALTER TABLE ${table} SET (autovacuum_enabled = false)`);
      const analyze = () => t.db.$executeRawUnsafe(`ANALYZE ${tables.join(", ")}`);
      await t.db.ticket.createMany({ data });
      try {
        // Before ANALYZE the statistics know no gondola: counted, up to the limit, as before.
        expect(await countByStatus(deps, { q: "gondola" })).toBeNull();
        await analyze();
        for (const f of [{ q: "gondola" }, { q: "gondola", searchReplies: true }, { q: "afloat", requesterId: zoe.id }])
          expect(await countByStatus(deps, f)).toBeNull();
        // A phrase the statistics find rare is counted exactly, in the same desk.
        expect(await countByStatus(deps, { q: "gondola 4321", searchReplies: true })).toEqual({ Open: 1 });
        // The estimate decides, not a count: with 100 left and the statistics not yet told, still none;
        // once ANALYZE (autovacuum's job on a running desk) has seen the change, exact counts again.
        await t.db.ticket.deleteMany({
          where: {
            subject: { startsWith: "Gondola" },
            NOT: { subject: { in: data.slice(0, 100).map((d) => d.subject) } },
          },
        });
        expect(await countByStatus(deps, { q: "gondola" })).toBeNull();
        await analyze();
        expect(await countByStatus(deps, { q: "gondola" })).toEqual({ Open: 100 });
      } finally {
        await t.db.ticket.deleteMany({ where: { subject: { startsWith: "Gondola" } } });
        for (const table of tables) await t.db.$executeRawUnsafe(`ALTER TABLE ${table} RESET (autovacuum_enabled)`);
        await analyze();
      }
    },
  );
});

describe("search", () => {
  const ids = async (f: TicketFilters) => (await walk({ ...f, sort: "oldest" }, false, 100)).map((r) => r.id);
  const subjectsOf = async (f: TicketFilters) =>
    (await walk({ ...f, sort: "oldest" }, false, 100)).map((r) => r.subject.replace(/ \(\d+\)$/, ""));

  it("is case-blind in every script and finds any part of a word", async () => {
    expect(new Set(await subjectsOf({ q: "PrInTeR" }))).toEqual(
      new Set(["The printer is jammed", "PRINTER toner empty", "printers on floor 2"]),
    );
    expect(new Set(await subjectsOf({ q: "CAFÉ" }))).toEqual(new Set(["Café menu screen is blank"]));
    expect(new Set(await subjectsOf({ q: "rinte" }))).toEqual(
      new Set(["The printer is jammed", "PRINTER toner empty", "printers on floor 2"]),
    );
  });

  it("takes %, _ and FTS syntax as plain text", async () => {
    expect(new Set(await subjectsOf({ q: "100%" }))).toEqual(new Set(["Wifi drops at 100% load"]));
    expect(new Set(await subjectsOf({ q: "%" }))).toEqual(new Set(["Wifi drops at 100% load"]));
    expect(new Set(await subjectsOf({ q: "r_s" }))).toEqual(new Set(["under_score in my file name"]));
    const quirky = 'My print* "quoted" OR NEAR(a b) subject:text -minus';
    for (const q of ['print* "quoted"', '"quoted" OR', "NEAR(a b)", "subject:text", "-minus", '"', "*", "OR NEAR"]) {
      expect(new Set(await subjectsOf({ q })), q).toEqual(new Set([quirky]));
    }
    expect(await ids({ q: "printer OR toner" })).toEqual([]);
    expect(await ids({ q: "NEAR(printer toner)" })).toEqual([]);
  });

  it("takes a line break in a search (a hand-made URL) as a space: never a match across two replies", async () => {
    const browser = await browserAs(t, agent);
    const across = await browser.get(`/queue?q=${encodeURIComponent("jammed\nAlso")}`);
    expect(across.status).toBe(200);
    expect(across.text).toContain('value="jammed Also"');
    const page = await browser.get(`/queue?q=${encodeURIComponent("printer\r\nis")}`);
    expect(page.text).toContain('value="printer is"');
    expect(page.text).toContain("<mark>printer is</mark> jammed");
  });

  it("keeps a requester to their own tickets, and their search out of replies and notes", async () => {
    const own = await t.db.ticket.findMany({ where: { requesterId: ann.id }, select: { id: true } });
    const ownIds = new Set(own.map((r) => r.id));
    for (const q of ["printer", "ticket", "toner", "CASE-4471"]) {
      for (const id of await ids({ q, requesterId: ann.id })) expect(ownIds.has(id)).toBe(true);
    }
    expect(await ids({ q: "CASE-4471", requesterId: ann.id })).toEqual([]);
    expect(await ids({ q: "CASE-4471" })).toEqual([]);
    expect((await ids({ q: "CASE-4471", searchReplies: true })).length).toBeGreaterThan(0);
  });

  it("says where a ticket was found when not in its subject", async () => {
    const { tickets } = await listTickets(deps, { q: "case-4471", searchReplies: true }, undefined, { take: 3 });
    expect(tickets[0]!.found).toEqual({ q: "case-4471", in: "note", excerpt: "Internal: vendor ticket CASE-4471" });
    const { tickets: scanned } = await listTickets(deps, { q: "scanner" }, undefined, { take: 1 });
    expect(scanned[0]!.found?.in).toBe("description");
    expect(scanned[0]!.found?.excerpt).toMatch(/^Also the SCANNER: x+ and more$|^Also the SCANNER: x* …$/);
    const { tickets: bySubject } = await listTickets(deps, { q: "jammed" }, undefined, { take: 1 });
    expect(bySubject[0]!.found).toEqual({ q: "jammed" });
  });

  it("follows every write: a new ticket, a changed subject, a reply, a deleted ticket", async () => {
    const ticket = await t.db.ticket.create({
      data: { subject: "Kettle leaks", description: "In the kitchen", priority: "Low", requesterId: bob.id },
    });
    expect(await ids({ q: "kettle" })).toEqual([ticket.id]);
    await t.db.ticket.update({ where: { id: ticket.id }, data: { subject: "Coffee machine leaks" } });
    expect(await ids({ q: "kettle" })).toEqual([]);
    expect(await ids({ q: "coffee machine" })).toEqual([ticket.id]);
    await t.db.reply.create({ data: { ticketId: ticket.id, authorId: agent.id, body: "Descaled the boiler" } });
    expect(await ids({ q: "descaled", searchReplies: true })).toEqual([ticket.id]);
    await t.db.ticket.delete({ where: { id: ticket.id } });
    expect(await ids({ q: "coffee machine" })).toEqual([]);
    expect(await ids({ q: "descaled", searchReplies: true })).toEqual([]);
  });

  it("marks the match in the queue and in a requester's list", async () => {
    const staff = await browserAs(t, agent);
    const queue = await staff.get("/queue?q=case-4471");
    expect(queue.status).toBe(200);
    expect(queue.text).toContain("In an internal note:");
    expect(queue.text).toMatch(/Internal: vendor ticket <mark>CASE-4471<\/mark>/);
    const requester = await browserAs(t, ann);
    const list = await requester.get("/tickets?q=JAMMED");
    expect(list.text).toMatch(/The printer is <mark>jammed<\/mark>/);
    expect(list.text).not.toContain("CASE-4471");
    const scanner = await requester.get("/tickets?q=scanner", { htmx: "partial" });
    expect(scanner.text).toContain("In the description:");
    expect(scanner.text).toContain("<mark>SCANNER</mark>");
  });
});
