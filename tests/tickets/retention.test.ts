import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyRetention, monthsBefore, RETENTION_BATCH } from "../../src/tickets/retention.js";
import { browserAs, createUser, type TestApp, testApp } from "../helpers/app.js";
import { PNG } from "../helpers/files.js";

// Retention (#28) with the test clock: closed tickets (or their files) go RETENTION_MONTHS after
// closing, in batches, recorded; open and reopened ones, and recently closed ones, stay; the dry
// run removes nothing and says the same numbers; search forgets what went.

const run = promisify(execFile);

describe("months before", () => {
  it.each([
    ["2026-12-07T10:00:00Z", 6, "2026-06-07T10:00:00.000Z"],
    ["2026-03-31T00:00:00Z", 1, "2026-02-28T00:00:00.000Z"],
    ["2024-03-31T00:00:00Z", 1, "2024-02-29T00:00:00.000Z"],
    ["2026-01-15T12:00:00Z", 13, "2024-12-15T12:00:00.000Z"],
  ])("%s minus %i months is %s", (now, months, expected) => {
    expect(monthsBefore(new Date(now), months).toISOString()).toBe(expected);
  });
});

for (const removes of ["tickets", "files"] as const) {
  describe(`retention removing ${removes}`, () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await testApp({ RETENTION_MONTHS: "6", RETENTION_REMOVES: removes });
    });
    afterAll(() => t.close());

    it("takes closed tickets past their time, in batches, and keeps the rest", async () => {
      const requester = await createUser(t.db);
      const b = await browserAs(t, requester);
      const open = async (subject: string) => {
        const res = await b.postFiles("/tickets", { subject, description: `About ${subject}.`, priority: "Low" }, [
          { name: "photo.png", bytes: PNG, type: "image/png" },
        ]);
        return Number(res.location!.split("/").pop());
      };
      // Old closed ones, more than one batch of them (made directly: the clock is what matters).
      const start = new Date(t.clock.t);
      const old = await Promise.all(
        Array.from({ length: RETENTION_BATCH + 5 }, (_, i) =>
          t.db.ticket.create({
            data: {
              subject: `Ancient ${i}`,
              description: "Quillwobble long closed.",
              requesterId: requester.id,
              status: "Closed",
              closedAt: new Date(start.getTime() - 400 * 86_400_000),
            },
          }),
        ),
      );
      const withFile = await open("Old with a file");
      await t.db.ticket.update({
        where: { id: withFile },
        data: { status: "Closed", closedAt: new Date(start.getTime() - 200 * 86_400_000) },
      });
      const recent = await open("Recently closed");
      await t.db.ticket.update({ where: { id: recent }, data: { status: "Closed", closedAt: start } });
      // Merged into a ticket that is still here: it stays while that one does (its number says whose words moved).
      const merged = await t.db.ticket.create({
        data: {
          subject: "Merged long ago",
          description: "A duplicate.",
          requesterId: requester.id,
          status: "Closed",
          closedAt: new Date(start.getTime() - 400 * 86_400_000),
          mergedIntoId: recent,
        },
      });
      const stillOpen = await open("Still open");
      const reopened = await open("Reopened");
      await t.db.ticket.update({
        where: { id: reopened },
        data: { status: "Open", closedAt: new Date(start.getTime() - 300 * 86_400_000) },
      });

      const dry = await applyRetention(t.deps, { dryRun: true });
      const expectTickets = removes === "tickets" ? RETENTION_BATCH + 6 : 1;
      expect(dry).toMatchObject({ removes, tickets: expectTickets, files: 1, bytes: PNG.length });
      expect(await t.db.ticket.count()).toBe(RETENTION_BATCH + 10);
      expect(await t.db.retentionRun.count()).toBe(0);
      // The command says the same, and removes nothing either.
      const said = await run("npx", ["tsx", "src/cli/retention.ts", "--dry-run"], {
        env: { ...process.env, DATABASE_URL: t.config.databaseUrl, RETENTION_MONTHS: "6", RETENTION_REMOVES: removes },
      });
      expect(said.stdout).toContain(
        removes === "tickets"
          ? `Would remove ${expectTickets} closed tickets (closed before`
          : "Would remove the files of 1 closed tickets (closed before",
      );
      expect(await t.db.ticket.count()).toBe(RETENTION_BATCH + 10);

      const done = await applyRetention(t.deps);
      expect(done).toMatchObject({ removes, tickets: expectTickets, files: 1 });
      const left = await t.db.ticket.findMany({ select: { id: true }, orderBy: { id: "asc" } });
      const ids = left.map((r) => r.id);
      expect(ids).toEqual(expect.arrayContaining([recent, stillOpen, reopened, merged.id]));
      if (removes === "tickets") {
        expect(ids).not.toContain(withFile);
        expect(ids).not.toContain(old[0]!.id);
        expect(await t.db.attachment.count({ where: { ticketId: withFile } })).toBe(0);
        // Search forgets them.
        const agent = await browserAs(t, await createUser(t.db, { role: "agent" }));
        expect((await agent.get("/queue?q=Quillwobble&status=all")).text).not.toContain("Ancient");
      } else {
        expect(ids).toContain(withFile);
        expect(await t.db.attachment.count({ where: { ticketId: withFile } })).toBe(0);
        expect(await t.db.attachment.count({ where: { ticketId: recent } })).toBe(1);
      }
      const runs = await t.db.retentionRun.findMany();
      expect(runs).toHaveLength(1);
      expect(runs[0]).toMatchObject({ removes, tickets: expectTickets, files: 1 });
      // Nothing more to do: the next run removes nothing and records nothing.
      expect(await applyRetention(t.deps)).toMatchObject({ tickets: 0, files: 0 });
      expect(await t.db.retentionRun.count()).toBe(1);
    }, 120_000);
  });
}

describe("without a retention rule", () => {
  it("keeps everything, and the command says so", async () => {
    const t = await testApp({});
    try {
      expect(await applyRetention(t.deps)).toBeNull();
      const said = await run("npx", ["tsx", "src/cli/retention.ts", "--dry-run"], {
        env: { ...process.env, DATABASE_URL: t.config.databaseUrl, RETENTION_MONTHS: "" },
      });
      expect(said.stdout).toContain("No retention is set (RETENTION_MONTHS): every ticket is kept.");
    } finally {
      await t.close();
    }
  }, 60_000);
});
