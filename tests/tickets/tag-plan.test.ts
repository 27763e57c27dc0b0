import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Deps } from "../../src/env.js";
import { COUNT_LIMIT } from "../../src/tickets/count-limit.js";
import { countByStatus, countPaths } from "../../src/tickets/counts.js";
import {
  conditionsOf,
  LISTED_TAG_MAX,
  listUpTo,
  RARE_TAG,
  type TicketFilters,
  withTagPlan,
} from "../../src/tickets/filters.js";
import { listTickets } from "../../src/tickets/list.js";
import { SORTS, STATUSES } from "../../src/tickets/model.js";
import { createUser, type TestApp, testApp } from "../helpers/app.js";
import { provider } from "../helpers/databases.js";

// The queue's tag filter reads a rare tag's tickets from its index and probes each ticket for a
// common one (withTagPlan, SQLite: its statistics hold one average for every tag); the status
// counts read the matches from the rarest tag's index, up to COUNT_LIMIT + 1. Either way the
// answers are the same as the plain IN list's.

let t: TestApp;
let deps: Deps;
const COMMON = RARE_TAG + 100;
/** Every ticket id with all these tags, newest first, straight from the tables. */
async function expected(tags: string[], status?: string) {
  const rows = await t.db.ticket.findMany({
    where: { AND: tags.map((name) => ({ tags: { some: { tag: { name } } } })), ...(status ? { status } : {}) },
    orderBy: { id: "desc" },
    select: { id: true, status: true },
  });
  return rows;
}

beforeAll(async () => {
  t = await testApp();
  deps = t.deps;
  const requester = await createUser(t.db, { name: "Rita" });
  await t.db.ticket.createMany({
    data: Array.from({ length: COMMON + 50 }, (_, i) => ({
      subject: `Ticket ${i}`,
      description: "Seeded.",
      status: STATUSES[i % 4]!,
      requesterId: requester.id,
    })),
  });
  const ids = (await t.db.ticket.findMany({ select: { id: true }, orderBy: { id: "asc" } })).map((r) => r.id);
  const [common, rare] = await Promise.all(["common", "rare"].map((name) => t.db.tag.create({ data: { name } })));
  await t.db.ticketTag.createMany({
    data: [
      ...ids.slice(0, COMMON).map((ticketId) => ({ ticketId, tagId: common!.id })),
      // Rare, in every status, some with the common tag too and some without.
      ...ids.filter((_, i) => i % 97 === 0).map((ticketId) => ({ ticketId, tagId: rare!.id })),
    ],
  });
});
afterAll(() => t.close());

describe("the tag plan", () => {
  it("lists a rare tag's tickets, probes a common one, and puts the rarest first", async () => {
    const plan = await withTagPlan(deps.db, provider(), { tags: ["common", "rare"] });
    if (provider() === "postgresql") {
      // PostgreSQL's statistics know each tag's share: the plain SQL, planned by it.
      expect(plan.tagPlan).toBeUndefined();
      return;
    }
    expect(plan.tags).toEqual(["rare", "common"]);
    expect(plan.tagPlan).toEqual({ rare: "list", common: "probe" });
    expect((await withTagPlan(deps.db, "sqlite", { tags: ["common"] })).tagPlan).toEqual({ common: "probe" });
    expect((await withTagPlan(deps.db, "sqlite", { tags: ["nowhere"] })).tagPlan).toEqual({ nowhere: "list" });
    // The probe is a correlated EXISTS (one index lookup per ticket the walk meets); the list an IN.
    const sql = (f: TicketFilters) =>
      conditionsOf("sqlite", f)
        .map((c) => c.sql)
        .join(" AND ");
    expect(sql(plan)).toMatch(
      /^t\.id IN \(SELECT .* AND EXISTS \(SELECT 1 FROM "TicketTag" tt .* tt\."ticketId" = t\.id/,
    );
  });

  it("gives the same pages either way, in every order and with a status", async () => {
    for (const tags of [["rare"], ["common"], ["common", "rare"], ["nowhere"]])
      for (const status of [undefined, "Open", "active"] as const) {
        const want = (await expected(tags, status === "active" ? undefined : status))
          .filter((r) => status !== "active" || r.status !== "Closed")
          .map((r) => r.id);
        for (const forced of [undefined, "list", "probe"] as const)
          for (const sort of SORTS) {
            const tagPlan = forced && Object.fromEntries(tags.map((name) => [name, forced]));
            const ids: number[] = [];
            let cursor: string | undefined;
            do {
              const page = await listTickets(deps, { tags, status, tagPlan, sort }, cursor, { take: 200 });
              ids.push(...page.tickets.map((r) => r.id));
              cursor = page.next;
            } while (cursor);
            // Newest first is the tables' order; every other order holds the same tickets.
            const got = sort === "newest" ? ids : [...ids].sort((a, b) => b - a);
            expect(got, `${tags} ${status} ${forced} ${sort}`).toEqual(want);
          }
      }
  });

  it("counts by status from the rarest tag's index; more than COUNT_LIMIT matches is 'too many'", async () => {
    const byStatus = (rows: { status: string }[]) =>
      Object.fromEntries(
        STATUSES.map((s) => [s, rows.filter((r) => r.status === s).length] as const).filter(([, n]) => n > 0),
      );
    expect(await countByStatus(deps, { tags: ["rare"] })).toEqual(byStatus(await expected(["rare"])));
    expect(await countByStatus(deps, { tags: ["common", "rare"], status: "Open" })).toEqual(
      byStatus(await expected(["common", "rare"])),
    );
    expect(COMMON).toBeGreaterThan(COUNT_LIMIT);
    // Alone, a tag past the limit is known too many from its own index, no ticket read.
    const before = countPaths.tagTooMany;
    expect(await countByStatus(deps, { tags: ["common"] })).toBeNull();
    expect(countPaths.tagTooMany).toBe(before + 1);
    // With another filter it is counted: what is left may be few.
    expect(await countByStatus(deps, { tags: ["common"], priority: "Urgent" })).toEqual({});
    const three = (await expected(["common"])).slice(0, 3);
    await t.db.ticket.updateMany({ where: { id: { in: three.map((r) => r.id) } }, data: { priority: "Urgent" } });
    try {
      expect(await countByStatus(deps, { tags: ["common"], priority: "Urgent" })).toEqual(byStatus(three));
    } finally {
      await t.db.ticket.updateMany({ where: { id: { in: three.map((r) => r.id) } }, data: { priority: "Medium" } });
    }
    expect(countPaths.tagTooMany).toBe(before + 1);
    expect(await countByStatus(deps, { tags: ["nowhere"] })).toEqual(byStatus([]));
  });

  it("on a large desk lists a tag of more than RARE_TAG tickets, up to about the square root of PAGE_SIZE × its size", async () => {
    expect([listUpTo(0), listUpTo(40_000), listUpTo(200_000), listUpTo(1_000_000), listUpTo(10_000_000)]).toEqual([
      RARE_TAG,
      RARE_TAG,
      2236,
      LISTED_TAG_MAX,
      LISTED_TAG_MAX,
    ]);
    if (provider() === "postgresql") return;
    // "common" is on RARE_TAG + 100 tickets: on this small desk probed; once the newest ticket is
    // number 1,000,000 (a desk that size), listed.
    expect((await withTagPlan(deps.db, "sqlite", { tags: ["common"] })).tagPlan).toEqual({ common: "probe" });
    const requesterId = (await t.db.user.findFirstOrThrow()).id;
    await t.db.ticket.create({ data: { id: 1_000_000, subject: "Far", description: "x", requesterId } });
    try {
      expect((await withTagPlan(deps.db, "sqlite", { tags: ["common"] })).tagPlan).toEqual({ common: "list" });
    } finally {
      await t.db.ticket.delete({ where: { id: 1_000_000 } });
    }
  });
});
