import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adapterFactory } from "../../src/db/adapters.js";
import { createUser, type TestApp, testApp } from "../helpers/app.js";
import { provider } from "../helpers/databases.js";

// A migration reaches PostgreSQL through the adapter's executeScript. adapter-pg 6.19 split a
// script at every ";" (a function body or a comment with one in it broke) and ran the pieces one by
// one (a failure left the first ones applied). Ours sends the script whole: one transaction.

let t: TestApp;

beforeAll(async () => {
  t = await testApp();
});
afterAll(() => t.close());

describe.runIf(provider() === "postgresql")("PostgreSQL scripts (migrations)", () => {
  it("run whole: a function body and a comment may hold a semicolon, and a failure leaves nothing applied", async () => {
    const adapter = await adapterFactory(t.config.databaseUrl).connect();
    try {
      await adapter.executeScript(`-- A comment; with a semicolon in it.
CREATE TABLE "ScriptProbe" (n integer);
CREATE FUNCTION "script_probe"() RETURNS integer LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "ScriptProbe" VALUES (41);
  RETURN 1 + (SELECT max(n) FROM "ScriptProbe");
END $$;`);
      expect(await t.db.$queryRawUnsafe('SELECT "script_probe"() AS n')).toEqual([{ n: 42 }]);

      await expect(
        adapter.executeScript(`INSERT INTO "ScriptProbe" VALUES (1);
CREATE TABLE "ScriptProbeToo" (n integer);
SELECT no_such_column FROM "ScriptProbe";`),
      ).rejects.toThrow();
      expect(await t.db.$queryRawUnsafe('SELECT n FROM "ScriptProbe" ORDER BY n')).toEqual([{ n: 41 }]);
      expect(await t.db.$queryRawUnsafe(`SELECT to_regclass('"ScriptProbeToo"')::text AS t`)).toEqual([{ t: null }]);
    } finally {
      await adapter.executeScript('DROP FUNCTION IF EXISTS "script_probe"(); DROP TABLE IF EXISTS "ScriptProbe";');
      await adapter.dispose();
    }
  });

  it("keep each ticket's search row (the search_rows triggers) through every write, TRUNCATE too", async () => {
    const rowsOf = () =>
      t.db.$queryRawUnsafe<{ id: number; own: string; thread: string }[]>(
        'SELECT id, own, thread FROM "TicketSearch" ORDER BY id',
      );
    const user = await createUser(t.db, { name: "Search Rows" });
    const [a, b] = await t.db.ticket.createManyAndReturn({
      data: [
        { subject: "Printer JAMS", description: "Paper ÄÖ stuck", requesterId: user.id },
        { subject: "Second", description: "Two", requesterId: user.id },
      ],
    });
    const r1 = await t.db.reply.create({ data: { ticketId: a!.id, authorId: user.id, body: "First REPLY" } });
    await t.db.reply.createMany({
      data: [
        { ticketId: a!.id, authorId: user.id, body: "Note", internal: true },
        { ticketId: b!.id, authorId: user.id, body: "Other" },
      ],
    });
    expect(await rowsOf()).toEqual([
      { id: a!.id, own: "printer jams\npaper äö stuck", thread: "first reply\nnote" },
      { id: b!.id, own: "second\ntwo", thread: "other" },
    ]);
    await t.db.ticket.update({ where: { id: b!.id }, data: { status: "Closed" } });
    await t.db.ticket.update({ where: { id: b!.id }, data: { subject: "Moved HERE" } });
    await t.db.reply.update({ where: { id: r1.id }, data: { ticketId: b!.id, body: "Edited" } });
    expect(await rowsOf()).toEqual([
      { id: a!.id, own: "printer jams\npaper äö stuck", thread: "note" },
      { id: b!.id, own: "moved here\ntwo", thread: "edited\nother" },
    ]);
    await t.db.reply.deleteMany({ where: { ticketId: a!.id } });
    await t.db.ticket.delete({ where: { id: b!.id } });
    expect(await rowsOf()).toEqual([{ id: a!.id, own: "printer jams\npaper äö stuck", thread: "" }]);
    await t.db.$executeRawUnsafe('TRUNCATE "Ticket" CASCADE');
    expect(await rowsOf()).toEqual([]);
  });
});
