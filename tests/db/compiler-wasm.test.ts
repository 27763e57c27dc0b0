import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compilerReads } from "../../src/db/compiler-wasm.js";
import { type TestApp, testApp } from "../helpers/app.js";

// Prisma's query compiler is read from its file (src/db/compiler-wasm.ts), not imported as the ES
// module that would keep its 2.5 MB of base64 in the heap for good. Should a Prisma version move
// the internal it is set through, the client loads it its own way and this test goes red.
let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(() => t.close());

describe("Prisma's query compiler", () => {
  it("is read from its file once, and the client works with it", async () => {
    expect(await t.db.user.count()).toBeGreaterThanOrEqual(0);
    const second = await import("../../src/db/prisma.js").then((m) => m.createPrisma(t.config.databaseUrl));
    try {
      expect(await second.ticket.count()).toBe(0);
    } finally {
      await second.$disconnect();
    }
    // One read per process and provider: a second client shares the compiled module.
    expect(compilerReads.count).toBe(1);
  });
});
