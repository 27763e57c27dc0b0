import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readRows } from "../../src/db/reads.js";
import type { CurrentUser } from "../../src/env.js";
import { Prisma } from "../../src/generated/sqlite/client.js";
import { createUser, type TestApp, testApp } from "../helpers/app.js";

// readRows runs the hot reads on the driver under Prisma (SQLite's connection, PostgreSQL's pool)
// instead of through $queryRaw: on the same statements it must return exactly what $queryRaw
// returns, value for value and type for type (Date, boolean, bigint, bytes, null), on both databases.

let t: TestApp;
let requester: CurrentUser;

beforeAll(async () => {
  t = await testApp();
  requester = await createUser(t.db, { name: "Rita Requester" });
  const agent = await createUser(t.db, { name: "Ada Agent", role: "agent" });
  const ticket = await t.db.ticket.create({
    data: {
      subject: "Printer on fire",
      description: "Ünïcödé, quotes ' \" and a % sign",
      priority: "Urgent",
      status: "Closed",
      closedAt: new Date("2026-11-25T10:00:00.123Z"),
      requesterId: requester.id,
      assigneeId: agent.id,
      guest: true,
      accessCode: "hmac",
    },
  });
  await t.db.ticket.create({ data: { subject: "Bare", description: "Nothing yet", requesterId: requester.id } });
  const reply = await t.db.reply.create({
    data: { ticketId: ticket.id, authorId: agent.id, body: "A note", internal: true, emailText: null },
  });
  await t.db.ticketEvent.create({
    data: { ticketId: ticket.id, actorId: agent.id, kind: "status", fromValue: "Open", toValue: null },
  });
  await t.db.fileContent.create({ data: { hash: "ab".repeat(32), size: 3, bytes: Uint8Array.from([0, 255, 7]) } });
  await t.db.attachment.create({
    data: {
      ticketId: ticket.id,
      replyId: reply.id,
      name: "a.png",
      type: "image/png",
      size: 3,
      contentHash: "ab".repeat(32),
    },
  });
  await t.db.session.create({
    data: { id: "s-1", userId: requester.id, expiresAt: new Date("2027-01-01T00:00:00Z"), revokedAt: null },
  });
});
afterAll(() => t.close());

const both = async (query: Prisma.Sql) => {
  const [ours, prisma] = [await readRows(t.db, query), await t.db.$queryRaw<unknown[]>(query)];
  return { ours, prisma };
};

describe("readRows returns what $queryRaw returns", () => {
  it.each(["User", "Session", "Ticket", "Reply", "TicketEvent", "Attachment", "FileContent"])(
    "every column of %s",
    async (table) => {
      const { ours, prisma } = await both(Prisma.sql`SELECT * FROM ${Prisma.raw(`"${table}"`)} ORDER BY 1`);
      expect(prisma.length).toBeGreaterThan(0);
      expect(ours).toEqual(prisma);
      // toEqual holds a Date equal to a Date, and tells a number from a bigint; say the types too.
      const types = (rows: unknown[]) =>
        rows.map((row) =>
          Object.values(row as object).map((v) =>
            v instanceof Date ? "date" : v instanceof Uint8Array ? "bytes" : typeof v,
          ),
        );
      expect(types(ours)).toEqual(types(prisma));
    },
  );

  it("expressions, joins and parameters of every kind (a date, a boolean, a list, text)", async () => {
    const { ours, prisma } = await both(Prisma.sql`SELECT t.status, COUNT(*) AS n, MAX(t.id) AS top,
        MIN(u.name) AS name FROM "Ticket" t JOIN "User" u ON u.id = t."requesterId"
      WHERE t."createdAt" < ${new Date("2100-01-01T00:00:00Z")} AND t.guest IN (${true}, ${false})
        AND t.id IN (${Prisma.join([1, 2, 3, 4])}) AND t.subject <> ${"x"}
      GROUP BY t.status ORDER BY t.status`);
    expect(ours).toEqual(prisma);
    expect(ours).toHaveLength(2);
  });

  it("planned for each run's values (a search), it returns the same rows, with the same types", async () => {
    const query = Prisma.sql`SELECT t.id, t.subject, t."createdAt", t.guest, COUNT(*) OVER () AS n FROM "Ticket" t
      WHERE t.subject LIKE ${"%"} AND t."createdAt" < ${new Date("2100-01-01T00:00:00Z")} ORDER BY t.id`;
    const kept = await readRows(t.db, query);
    for (let i = 0; i < 7; i++) expect(await readRows(t.db, query, { planEach: true })).toEqual(kept);
    expect(kept).toEqual(await t.db.$queryRaw(query));
  });

  it("a date parameter finds the exact row it names (keyset pages compare times)", async () => {
    const [ticket] = await t.db.ticket.findMany({ orderBy: { id: "asc" }, take: 1 });
    const at = ticket!.updatedAt;
    const query = Prisma.sql`SELECT t.id FROM "Ticket" t WHERE t."updatedAt" = ${at}`;
    expect(await readRows(t.db, query)).toEqual(await t.db.$queryRaw(query));
    expect(await readRows(t.db, query)).toEqual([{ id: ticket!.id }]);
  });

  it("no rows is an empty list, and a statement that fails fails as it would through Prisma", async () => {
    expect(await readRows(t.db, Prisma.sql`SELECT id FROM "Ticket" WHERE id = ${-1}`)).toEqual([]);
    await expect(readRows(t.db, Prisma.sql`SELECT nothing FROM "NoSuchTable"`)).rejects.toThrow();
    // The connection is fine after a failure.
    expect(await readRows(t.db, Prisma.sql`SELECT COUNT(*) AS n FROM "User"`)).toEqual(
      await t.db.$queryRaw(Prisma.sql`SELECT COUNT(*) AS n FROM "User"`),
    );
  });

  it("after a disconnect Prisma connects again, and readRows follows it", async () => {
    await t.db.$disconnect();
    const query = Prisma.sql`SELECT id, subject FROM "Ticket" ORDER BY id`;
    expect(await readRows(t.db, query)).toEqual(await t.db.$queryRaw(query));
    expect(await readRows(t.db, query)).toHaveLength(2);
  });
});
