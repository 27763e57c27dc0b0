import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withOwnReader } from "../../src/db/reads.js";
import type { Deps } from "../../src/env.js";
import { countByStatus } from "../../src/tickets/counts.js";
import { listTickets, type TicketFilters } from "../../src/tickets/list.js";
import {
  keyedSearches,
  keyOf,
  type Shares,
  sharesOf as sampleOf,
  takeSample,
  trigramsOf,
} from "../../src/tickets/search/key.js";
import { createUser, type TestApp, testApp } from "../helpers/app.js";
import { provider } from "../helpers/databases.js";

// A phrase whose other words are in nearly every ticket is looked up by its rare word (PostgreSQL:
// the trigram index read every ticket's posting lists for "ticket"), and the whole phrase checked on
// what that finds: the answers are those of the plain search.

/** Shares as a sample of `sampled` tickets would give them. */
const shares = (sampled: number, holding: Record<string, number>): Shares => ({
  sampled,
  holding: new Map(Object.entries(holding)),
  at: 0,
});

describe("the part of a phrase to look up", () => {
  it("sees trigrams as the index does: three characters in a row, lower case", () => {
    expect([...trigramsOf("Tick 7.")]).toEqual(["tic", "ick", "ck ", "k 7", " 7."]);
    expect([...trigramsOf("ab")]).toEqual([]);
    expect([...trigramsOf("ééé")]).toEqual(["ééé"]);
  });

  const common = { tic: 100, ick: 100, cke: 100, ket: 100, "et ": 100 };
  const cases: [string, Shares | undefined, string | undefined][] = [
    ["ticket 777.", shares(100, common), "777."],
    ["777. TICKET", shares(100, common), "777."],
    // One word: nothing to leave out.
    ["ticket", shares(100, common), undefined],
    // No word is common: the whole phrase (its lists are short anyway).
    ["printer toner", shares(100, { pri: 2, ton: 3 }), undefined],
    // Words under three characters are never the key.
    ["ticket 77", shares(100, common), undefined],
    // No sample yet, or an empty desk.
    ["ticket 777.", undefined, undefined],
    ["ticket 777.", shares(0, {}), undefined],
    // The cheaper word is common too (a fifth of the desk): the whole phrase's index finds fewer.
    ["ticket toner", shares(100, { ...common, ton: 20, one: 20, ner: 20 }), undefined],
    ["ticket toner", shares(1000, { tic: 990, ick: 990, cke: 990, ket: 990, "et ": 990, ton: 4 }), "toner"],
    // Both words about as common: no saving.
    ["ticket ticker", shares(100, { ...common, ker: 100 }), undefined],
  ];
  it.each(cases)("%s", (q, shares, key) => {
    expect(keyOf(q, shares)).toBe(key);
  });
});

let t: TestApp;
let deps: Deps;
beforeAll(async () => {
  t = await testApp();
  deps = t.deps;
  const rita = await createUser(t.db, { name: "Rita" });
  const agent = await createUser(t.db, { role: "agent", name: "Alex" });
  // A thousand tickets (the sample is then the whole desk): "ticket" in every one, "777" in every
  // one, "777." in two tickets' text and in a reply and a note.
  await t.db.ticket.createMany({
    data: Array.from({ length: 1000 }, (_, i) => ({
      subject: "Ticket: the printer",
      description:
        i === 177 ? "Ticket 777. Also 777. elsewhere" : i === 50 ? "A number: 777. only" : "Seeded. 777 here",
      status: ["Open", "Waiting", "Closed"][i % 3]!,
      requesterId: rita.id,
    })),
  });
  const ids = (await t.db.ticket.findMany({ select: { id: true }, orderBy: { id: "asc" } })).map((r) => r.id);
  // The phrase in a reply and in an internal note (staff search them; a requester's does not).
  await t.db.reply.create({ data: { ticketId: ids[10]!, authorId: agent.id, body: "About ticket 777. again" } });
  await t.db.reply.create({
    data: { ticketId: ids[20]!, authorId: agent.id, body: "Note: TICKET 777. is ours", internal: true },
  });
  await takeSample(deps, provider());
});
afterAll(() => t.close());

/** Every ticket whose text (and, for staff, thread) holds `q`, any case, newest first: straight from the tables. */
async function plainly(q: string, replies: boolean) {
  const rows = await t.db.ticket.findMany({ include: { replies: true }, orderBy: { id: "desc" } });
  const holds = (text: string) => text.toLowerCase().includes(q.toLowerCase());
  return rows
    .filter((r) => holds(`${r.subject}\n${r.description}`) || (replies && r.replies.some((reply) => holds(reply.body))))
    .map((r) => r.id);
}

describe("a search looked up by its rare word", () => {
  // [phrase, staff, looked up by a part]
  const searches: [string, boolean, boolean][] = [
    ["ticket 777.", true, true],
    ["ticket 777.", false, true],
    // "777" is in every ticket too, "also" in one: the phrase's lists are short enough as they are.
    ["777. also", false, false],
    ["Ticket 777. Also", true, true],
    ["ticket 7777.", true, true],
    // SQLite: not ASCII, so the whole phrase (its lower() folds ASCII only); PostgreSQL: by "777.".
    ["TICKET 777. ÉLSEWHERE", true, provider() === "postgresql"],
  ];
  it.each(searches)("%s (replies: %s) finds what the plain search finds", async (q, replies, keyed) => {
    const f: TicketFilters = { q, searchReplies: replies };
    const before = keyedSearches.n;
    const { tickets } = await listTickets(deps, f, undefined, { take: 100 });
    expect(tickets.map((r) => r.id)).toEqual(await plainly(q, replies));
    expect(keyedSearches.n > before).toBe(keyed);
  });

  it("is one sample per client: an export's own connection uses the client's", async () => {
    const own = withOwnReader(deps.db);
    try {
      const held = await sampleOf(deps, provider());
      expect(held?.sampled).toBe(1000);
      expect(await sampleOf({ ...deps, db: own.db }, provider())).toBe(held);
      const { tickets } = await listTickets({ ...deps, db: own.db }, { q: "ticket 777.", searchReplies: true });
      expect(tickets.map((r) => r.id)).toEqual(await plainly("ticket 777.", true));
    } finally {
      own.close();
    }
  });

  it("counts what it finds by status, and pages through it", async () => {
    const f: TicketFilters = { q: "ticket 777.", searchReplies: true };
    const want = await plainly("ticket 777.", true);
    const rows = await t.db.ticket.findMany({ where: { id: { in: want } }, select: { status: true } });
    const byStatus: Record<string, number> = {};
    for (const { status } of rows) byStatus[status] = (byStatus[status] ?? 0) + 1;
    expect(await countByStatus(deps, f)).toEqual(byStatus);
    const first = await listTickets(deps, f, undefined, { take: 2 });
    const second = await listTickets(deps, f, first.next, { take: 2 });
    expect([...first.tickets, ...second.tickets].map((r) => r.id)).toEqual(want.slice(0, 4));
  });
});
