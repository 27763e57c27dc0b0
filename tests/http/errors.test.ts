import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { errorForLog } from "../../src/http/errors.js";
import { createUser, type TestApp, testApp } from "../helpers/app.js";

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(() => t.close());

/** The error a real Prisma call throws, whatever it is. */
const failure = (call: () => Promise<unknown>) =>
  call().then(
    () => expect.unreachable(),
    (error: Error) => error,
  );

describe("errorForLog", () => {
  it("keeps Prisma's class, code and field names, and none of the values that were submitted", async () => {
    const user = await createUser(t.db, { email: "secret.person@example.com" });
    const errors = [
      // A call Prisma refuses before the database: its message quotes every argument.
      await failure(() =>
        t.db.ticket.create({ data: { subject: "SECRET-SUBJECT-42", description: 42 as never, requesterId: user.id } }),
      ),
      // The database refuses: unique email.
      await failure(() =>
        t.db.user.create({ data: { email: "secret.person@example.com", name: "SECRET-NAME-42", passwordHash: "x" } }),
      ),
    ];
    expect(String(errors[0])).toContain("SECRET-SUBJECT-42");
    for (const error of errors) {
      const logged = JSON.stringify(errorForLog(error));
      expect(logged).toMatch(/PrismaClient\w+/);
      for (const secret of ["SECRET-SUBJECT-42", "SECRET-NAME-42", "secret.person@example.com"]) {
        expect(logged).not.toContain(secret);
      }
    }
    expect(errorForLog(errors[1]!)).toMatchObject({ error: "PrismaClientKnownRequestError P2002" });
  });

  it("keeps an ordinary error's message and stack", () => {
    const error = new Error("boom");
    expect(errorForLog(error)).toEqual({ error: "boom", stack: error.stack });
  });
});
