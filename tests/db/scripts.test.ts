import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adapterFactory } from "../../src/db/adapters.js";
import { provider } from "../helpers/databases.js";
import { testApp, type TestApp } from "../helpers/app.js";

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
});
