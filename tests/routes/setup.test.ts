import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { announceFirstAdminSetup } from "../../src/users/setup.js";
import { Browser, createUser, type TestApp, testApp } from "../helpers/app.js";

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(() => t.close());

describe("first admin setup", () => {
  it("prints a link at start; the link creates the first admin once", async () => {
    const token = (await announceFirstAdminSetup(t.deps))!;
    const line = t.logs.find((l) => String(l.msg).includes("/setup?token="))!;
    expect(String(line.msg)).toContain(token);
    const b = new Browser(t);
    expect((await b.get("/setup?token=wrong")).status).toBe(404);
    const page = await b.get(`/setup?token=${token}`);
    expect(page.status).toBe(200);
    const bad = await b.post("/setup", { token, name: "Ada", email: "ada@example.com", password: "short" });
    expect(bad.status).toBe(422);
    const res = await b.post("/setup", {
      token,
      name: "Ada",
      email: "ada@example.com",
      password: "a long admin passphrase",
    });
    expect(res.status).toBe(303);
    expect((await t.db.user.findUniqueOrThrow({ where: { email: "ada@example.com" } })).role).toBe("admin");
    expect((await b.get("/admin/users")).status).toBe(200);
    const again = await new Browser(t).post("/setup", {
      token,
      name: "Eve",
      email: "eve@example.com",
      password: "a long admin passphrase",
    });
    expect(again.status).toBe(404);
    expect(await t.db.user.count({ where: { email: "eve@example.com" } })).toBe(0);
  });

  it("makes one admin when the same form arrives twice at once", async () => {
    const fresh = await testApp();
    try {
      const token = (await announceFirstAdminSetup(fresh.deps))!;
      const [one, two] = [new Browser(fresh), new Browser(fresh)];
      await one.get(`/setup?token=${token}`);
      await two.get(`/setup?token=${token}`);
      const form = (email: string) => ({ token, name: "Ops", email, password: "a long admin passphrase" });
      const answers = await Promise.all([
        one.post("/setup", form("one@example.com")),
        two.post("/setup", form("two@example.com")),
      ]);
      expect(answers.map((a) => a.status).sort()).toEqual([303, 404]);
      expect(await fresh.db.user.count({ where: { role: "admin" } })).toBe(1);
    } finally {
      await fresh.close();
    }
  });

  it("prints nothing when an admin exists", async () => {
    await createUser(t.db, { role: "admin" });
    expect(await announceFirstAdminSetup(t.deps)).toBeUndefined();
  });
});
