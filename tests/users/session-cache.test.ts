import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/app.js";
import { createPrisma } from "../../src/db/prisma.js";
import { makeDeps } from "../../src/deps.js";
import type { CurrentUser, Deps } from "../../src/env.js";
import { changeRole, disablePerson } from "../../src/users/admins.js";
import { SessionCache, startSessionFeed } from "../../src/users/session-cache.js";
import { endSessions } from "../../src/users/sessions.js";
import { saveStaffMustUse2fa, settingReads } from "../../src/users/two-factor.js";
import { type Browser, browserAs, createUser, type TestApp, testApp } from "../helpers/app.js";

// The per-process cache of signed-in sessions: it answers without a query while a session's idle
// clock needs no refresh, and every change that ends a session or changes its person empties it
// in every instance at once (here: two app instances on one database, each with its feed).

let t: TestApp;
let other: { app: ReturnType<typeof createApp>; deps: Deps; stop: () => Promise<void> };
let stopFeed: () => Promise<void>;
beforeAll(async () => {
  t = await testApp();
  const db = createPrisma(t.config.databaseUrl);
  const deps = makeDeps(t.config, db, { clock: t.clock, log: () => undefined });
  const stop = startSessionFeed(deps);
  other = {
    app: createApp(deps),
    deps,
    stop: async () => {
      await stop();
      await db.$disconnect();
    },
  };
  stopFeed = startSessionFeed(t.deps);
  // PostgreSQL: both feeds listening before anything is cached.
  for (let i = 0; i < 200 && !(t.deps.sessions.live && deps.sessions.live); i++)
    await new Promise((r) => setTimeout(r, 25));
});
afterAll(async () => {
  await other.stop();
  await stopFeed();
  await t.close();
});

/** The status a browser's cookie gets for its tickets on an instance. */
const on = async (app: { request: TestApp["app"]["request"] }, b: Browser) =>
  (await app.request("/tickets", { headers: { Cookie: b.cookieHeader() } })).status;
const signedIn = async (role: CurrentUser["role"] = "requester") => {
  const user = await createUser(t.db, { role });
  return { user, b: await browserAs(t, user) };
};

describe("the session cache", () => {
  it("answers a session from the cache: a row removed behind its back still works until the idle clock is due", async () => {
    const { user, b } = await signedIn();
    expect(await on(t.app, b)).toBe(200);
    expect(t.deps.sessions.size).toBeGreaterThan(0);
    // Not through the app (no change announced): the cache has not been told.
    await t.db.session.deleteMany({ where: { userId: user.id } });
    expect(await on(t.app, b)).toBe(200);
    // Once the idle clock needs a refresh, the database decides: the row is gone.
    t.clock.advance(61_000);
    expect(await on(t.app, b)).toBe(303);
  });

  it("signing out on one instance ends the session on the other at once", async () => {
    const { b } = await signedIn();
    expect(await on(t.app, b)).toBe(200);
    expect(await on(other.app, b)).toBe(200);
    const page = await b.get("/account");
    const csrf = page.text.match(/name="_csrf" value="([^"]+)"/)![1]!;
    const out = await other.app.request("/logout", {
      method: "POST",
      body: new URLSearchParams({ _csrf: csrf }),
      headers: { Cookie: b.cookieHeader(), "Content-Type": "application/x-www-form-urlencoded" },
    });
    expect(out.status).toBe(303);
    await settle();
    expect(await on(t.app, b)).toBe(303);
    expect(await on(other.app, b)).toBe(303);
  });

  it("sign out everywhere, disabling and a role change reach every instance's cache at once", async () => {
    const admin = await createUser(t.db, { role: "admin" });
    const one = await signedIn();
    for (const app of [t.app, other.app]) expect(await on(app, one.b)).toBe(200);
    await endSessions(other.deps, one.user.id);
    await settle();
    for (const app of [t.app, other.app]) expect(await on(app, one.b)).toBe(303);

    const two = await signedIn();
    for (const app of [t.app, other.app]) expect(await on(app, two.b)).toBe(200);
    expect(await disablePerson(other.deps, admin.id, two.user.id)).toBe("done");
    await settle();
    for (const app of [t.app, other.app]) expect(await on(app, two.b)).toBe(303);

    const three = await signedIn("agent");
    const queue = async (app: typeof t.app) =>
      (await app.request("/queue", { headers: { Cookie: three.b.cookieHeader() } })).status;
    for (const app of [t.app, other.app]) expect(await queue(app)).toBe(200);
    expect(await changeRole(other.deps, three.user.id, "requester")).toBe("done");
    await settle();
    for (const app of [t.app, other.app]) expect(await queue(app)).toBe(403);
  });

  it("whether staff must use two-factor is read once, and a change to it reaches every instance at once", async () => {
    const { b } = await signedIn("agent");
    const queue = async (app: typeof t.app) => {
      const res = await app.request("/queue", { headers: { Cookie: b.cookieHeader() } });
      return res.status === 303 ? new URL(res.headers.get("Location")!, "http://x").pathname : res.status;
    };
    for (const app of [t.app, other.app]) expect(await queue(app)).toBe(200);
    const reads = settingReads.count;
    for (let i = 0; i < 5; i++) for (const app of [t.app, other.app]) expect(await queue(app)).toBe(200);
    expect(settingReads.count - reads).toBe(0);
    // An admin on the other instance requires it: this one sends the agent to set it up at once.
    await saveStaffMustUse2fa(other.deps, true);
    await settle();
    for (const app of [t.app, other.app]) expect(await queue(app)).toBe("/account/two-factor");
    await saveStaffMustUse2fa(t.deps, false);
    await settle();
    for (const app of [t.app, other.app]) expect(await queue(app)).toBe(200);
  });

  it("does not keep an answer read before a change and stored after it", () => {
    const cache = new SessionCache();
    const before = cache.generation;
    const entry = {
      userId: 1,
      lastSeenAt: 0,
      expiresAt: Date.now() + 1000,
      user: { id: 1, email: "a@b.c", name: "A", role: "requester" as const },
    };
    cache.clear();
    cache.set("s1", entry, before);
    expect(cache.get("s1")).toBeUndefined();
    cache.set("s1", entry, cache.generation);
    expect(cache.get("s1")).toBe(entry);
    cache.live = false;
    expect(cache.get("s1")).toBeUndefined();
  });
});

/** PostgreSQL delivers a notification a moment after the commit; SQLite's check runs on the next look-up. */
async function settle() {
  await new Promise((r) => setTimeout(r, 50));
}
