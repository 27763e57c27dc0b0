import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { attachDriver, driverOf, readCounts } from "../src/db/reads.js";
import { statementCacheCounts } from "../src/db/statement-cache.js";
import type { CurrentUser } from "../src/env.js";
import { fastPathsOff } from "../src/fast-paths.js";
import { compressCounts } from "../src/http/compress.js";
import { countByStatus } from "../src/tickets/counts.js";
import { browserAs, createUser, type TestApp, testApp } from "./helpers/app.js";

// Each speed shim has a slower fallback that gives the same answers; these tests fail when a page
// takes the fallback, and the start-up check names each shim that is off.

let t: TestApp;
let requester: CurrentUser;
beforeAll(async () => {
  t = await testApp();
  requester = await createUser(t.db, { name: "Rita Requester" });
  await t.db.ticket.create({ data: { subject: "Fast", description: "A ticket to list.", requesterId: requester.id } });
});
afterAll(() => t.close());

describe("the fast paths run", () => {
  it("the list and the ticket page read through the driver, not $queryRaw", async () => {
    const b = await browserAs(t, requester);
    await b.get("/tickets");
    const before = readCounts(t.db);
    expect(driverOf(t.db)?.kind).toBe(process.env.TEST_PROVIDER === "postgresql" ? "postgresql" : "sqlite");
    const id = (await t.db.ticket.findFirstOrThrow()).id;
    expect((await b.get("/tickets")).status).toBe(200);
    expect((await b.get(`/tickets/${id}`)).status).toBe(200);
    const after = readCounts(t.db);
    expect(after.driver - before.driver).toBeGreaterThanOrEqual(2);
    expect(after.queryRaw).toBe(before.queryRaw);
  });

  it("SQLite compiles each statement text once", async () => {
    const driver = driverOf(t.db);
    if (driver?.kind !== "sqlite") return;
    await t.db.user.findMany({ where: { id: requester.id } });
    const before = statementCacheCounts(driver.client)!;
    await t.db.user.findMany({ where: { id: requester.id } });
    const after = statementCacheCounts(driver.client)!;
    expect(after.hits).toBeGreaterThan(before.hits);
    expect(after.compiled).toBe(before.compiled);
  });

  it("a page is compressed from the text it was rendered to, not read back from its stream", async () => {
    const before = { ...compressCounts };
    const res = await t.app.request("/login", { headers: { "Accept-Encoding": "br" } });
    expect(res.headers.get("Content-Encoding")).toBe("br");
    expect(compressCounts.fromText).toBe(before.fromText + 1);
    expect(compressCounts.fromStream).toBe(before.fromStream);
  });

  it("the start-up check finds them all on, and names the one that is off", async () => {
    expect(await fastPathsOff(t.deps, t.app)).toEqual([]);
    const driver = driverOf(t.db)!;
    attachDriver(t.db, null);
    try {
      const off = await fastPathsOff(t.deps, t.app);
      expect(off).toEqual([expect.stringMatching(/^readRows: .* goes through \$queryRaw$/)]);
    } finally {
      attachDriver(t.db, driver);
    }
  });
});

describe("the queue's status tabs", () => {
  it("are counted from the page itself when its one page holds every match and no status is filtered", async () => {
    const rows = [{ status: "Open" }, { status: "Open" }, { status: "Waiting" }];
    const before = readCounts(t.db);
    // The rows are taken at their word: nothing is read (these are not the database's tickets).
    expect(await countByStatus(t.deps, { q: "fast" }, { rows, first: true, last: true })).toEqual({
      Open: 2,
      Waiting: 1,
    });
    expect(readCounts(t.db).driver).toBe(before.driver);
    // A later page, one more to come, or a status filtered out: the database counts.
    for (const [filters, page] of [
      [{ q: "fast" }, { rows, first: false, last: true }],
      [{ q: "fast" }, { rows, first: true, last: false }],
      [
        { q: "fast", status: "Open" },
        { rows, first: true, last: true },
      ],
    ] as const) {
      const counted = readCounts(t.db).driver;
      expect(await countByStatus(t.deps, filters, page)).toEqual({ Open: 1 });
      expect(readCounts(t.db).driver).toBeGreaterThan(counted);
    }
  });
});
