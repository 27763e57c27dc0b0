import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { browserAs, createUser, PASSWORD, type TestApp, testApp } from "../../helpers/app.js";

let t: TestApp;
beforeAll(async () => {
  t = await testApp({ LOGIN_MAX_FAILURES: "3" });
});
afterAll(() => t.close());

const NEW = "a brand new passphrase 42";

describe("POST /account/password", () => {
  it("throttles wrong current passwords like sign-in, the right one included, until the window ends", async () => {
    const b = await browserAs(t, await createUser(t.db));
    const change = (current: string) => b.post("/account/password", { current_password: current, new_password: NEW });
    for (let i = 0; i < 3; i++) expect((await change(`wrong guess ${i}`)).status).toBe(422);
    const refused = await change(PASSWORD);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("Retry-After"))).toBeGreaterThan(0);
    expect(refused.text).toContain("Too many attempts");
    t.clock.advance(t.config.loginWindowMs + 1000);
    expect((await change(PASSWORD)).status).toBe(303);
  });

  it("lets at most the limit of guesses sent at once reach the password check", async () => {
    const b = await browserAs(t, await createUser(t.db));
    await b.get("/account");
    const answers = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        b.post("/account/password", { current_password: `burst ${i}`, new_password: NEW }),
      ),
    );
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s === 422).length).toBeLessThanOrEqual(3);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(9);
  });

  it("a right password gives its attempt back", async () => {
    const user = await createUser(t.db);
    const b = await browserAs(t, user);
    expect((await b.post("/account/password", { current_password: "wrong one", new_password: NEW })).status).toBe(422);
    expect((await b.post("/account/password", { current_password: PASSWORD, new_password: NEW })).status).toBe(303);
    const row = await t.db.throttle.findUnique({ where: { key: `password:account:${user.id}` } });
    expect(row?.count).toBe(1);
  });
});
