import { createHash } from "node:crypto";
import { Secret, TOTP } from "otpauth";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { loadConfig } from "../src/config.js";
import { createPrisma, type Db } from "../src/db/prisma.js";
import { makeDeps } from "../src/deps.js";
import { changeRole, disablePerson } from "../src/users/admins.js";
import { createUser, PASSWORD, SECRET } from "./helpers/app.js";
import { freshDatabase, provider } from "./helpers/databases.js";
import { cookiesOf, csrfOf, postForm, type Running, signIn, startServer } from "./helpers/process.js";

// Three app processes on one PostgreSQL database, as behind a load balancer: whatever one
// instance knows, the others must act on at once. (PostgreSQL suite; SQLite is one machine.)

/** A notification reaches the other instances a moment after its commit (well under this). */
const delivered = () => new Promise((r) => setTimeout(r, 50));

describe.runIf(provider() === "postgresql")("three instances on one PostgreSQL", () => {
  let database: Awaited<ReturnType<typeof freshDatabase>>;
  let db: Db;
  const nodes: Running[] = [];
  let setupToken = "";

  beforeAll(async () => {
    database = await freshDatabase(inject("templateDatabase"));
    db = createPrisma(database.url);
    // One after another: each start with no admin prints a new setup link; the last one counts.
    for (let i = 0; i < 3; i++)
      nodes.push(
        await startServer(database.url, { LOGIN_MAX_FAILURES: "3", LOGIN_FAILURE_DELAY_MS: "1", API_RATE_LIMIT: "5" }),
      );
    setupToken = nodes[2]!.output().match(/setup\?token=([\w-]+)/)![1]!;
  }, 120_000);

  afterAll(async () => {
    for (const node of nodes) if (node.child.exitCode === null) node.child.kill("SIGTERM");
    await Promise.all(nodes.map((n) => n.exited));
    await db.$disconnect();
    await database.drop();
  });

  const base = (i: number) => () => nodes[i]!.base;
  const [a, b, c] = [base(0), base(1), base(2)];
  const status = async (url: string, cookie: string) =>
    (await fetch(url, { headers: { Cookie: cookie }, redirect: "manual" })).status;

  it("a session made on one instance works on the others, and signing out on one ends it on all", async () => {
    const user = await createUser(db);
    const session = await signIn(a(), user.email);
    for (const base of [a(), b(), c()]) expect(await status(`${base}/tickets`, session.cookie)).toBe(200);
    const page = await (await fetch(`${b()}/account`, { headers: { Cookie: session.cookie } })).text();
    expect((await postForm(`${b()}/logout`, session.cookie, { _csrf: csrfOf(page) })).status).toBe(303);
    for (const base of [a(), b(), c()]) expect(await status(`${base}/tickets`, session.cookie)).toBe(303);
  });

  it("each instance keeps signed-in sessions in memory, yet a role change or disabling made elsewhere applies on all at once", async () => {
    const agent = await createUser(db, { role: "agent" });
    // (No admin is made here: the setup link below works only while there is none.)
    const actor = await createUser(db);
    const session = await signIn(a(), agent.email);
    // Twice on each: the second answer comes from that instance's cache.
    for (const base of [a(), b(), c(), a(), b(), c()]) expect(await status(`${base}/queue`, session.cookie)).toBe(200);
    // Made by another process on the same database (as `npm run user:create` would).
    const config = loadConfig({ NODE_ENV: "test", DATABASE_URL: database.url, AUTH_SECRET: SECRET });
    const deps = makeDeps(config, db, { log: () => undefined });
    expect(await changeRole(deps, agent.id, "requester")).toBe("done");
    await delivered();
    for (const base of [a(), b(), c()]) expect(await status(`${base}/queue`, session.cookie)).toBe(403);
    expect(await disablePerson(deps, actor.id, agent.id)).toBe("done");
    await delivered();
    for (const base of [a(), b(), c()]) expect(await status(`${base}/tickets`, session.cookie)).toBe(303);
  });

  it("counts failed sign-ins across all instances", async () => {
    const user = await createUser(db);
    const attempt = async (base: string, password: string) => {
      const page = await fetch(`${base}/login`);
      const fields = { email: user.email, password, _csrf: csrfOf(await page.text()) };
      return (await postForm(`${base}/login`, cookiesOf(page), fields)).status;
    };
    expect([await attempt(a(), "wrong 1"), await attempt(b(), "wrong 2"), await attempt(c(), "wrong 3")]).toEqual([
      401, 401, 401,
    ]);
    for (const base of [a(), b(), c()]) expect(await attempt(base, PASSWORD)).toBe(429);
  });

  it("a half-signed sign-in (two-factor) started on one instance finishes on another, and its code is spent on all", async () => {
    const secret = new Secret({ size: 20 }).base32;
    const user = await createUser(db);
    await db.user.update({ where: { id: user.id }, data: { totpSecret: secret, totpEnabledAt: new Date() } });
    const page = await fetch(`${a()}/login`);
    const anon = cookiesOf(page);
    const first = await postForm(`${a()}/login`, anon, {
      email: user.email,
      password: PASSWORD,
      _csrf: csrfOf(await page.text()),
    });
    expect(first.status).toBe(303);
    expect(new URL(first.headers.get("Location")!).pathname).toBe("/login/two-factor");
    const half = `${anon}; ${cookiesOf(first)}`;
    expect(half).toContain("hyperdesk_2fa=");
    expect(half).not.toContain("hyperdesk_session=");
    const step = await fetch(`${b()}/login/two-factor`, { headers: { Cookie: half } });
    expect(step.status).toBe(200);
    const code = TOTP.generate({ secret: Secret.fromBase32(secret) });
    const done = await postForm(`${c()}/login/two-factor`, half, { code, _csrf: csrfOf(await step.text()) });
    expect(done.status).toBe(303);
    const session = cookiesOf(done);
    expect(session).toContain("hyperdesk_session=");
    for (const base of [a(), b(), c()]) expect(await status(`${base}/tickets`, session)).toBe(200);
    // The same code through another instance, in a new half-signed sign-in: spent.
    const again = await fetch(`${b()}/login`);
    const anon2 = cookiesOf(again);
    const second = await postForm(`${b()}/login`, anon2, {
      email: user.email,
      password: PASSWORD,
      _csrf: csrfOf(await again.text()),
    });
    const half2 = `${anon2}; ${cookiesOf(second)}`;
    const form2 = await (await fetch(`${a()}/login/two-factor`, { headers: { Cookie: half2 } })).text();
    const replay = await postForm(`${a()}/login/two-factor`, half2, { code, _csrf: csrfOf(form2) });
    expect(replay.status).toBe(422);
  });

  it("counts an API token's requests across all instances, and a disabled owner's token stops on all at once", async () => {
    const user = await createUser(db, { role: "agent" });
    const token = `hd_${"c".repeat(43)}`;
    await db.apiToken.create({
      data: {
        userId: user.id,
        name: "cluster",
        scopes: "tickets:read",
        tokenHash: createHash("sha256").update(token).digest("hex"),
      },
    });
    const me = (base: string) => fetch(`${base}/api/v1/me`, { headers: { Authorization: `Bearer ${token}` } });
    const answers = [];
    for (const base of [a(), b(), c(), a(), b()]) answers.push(await me(base));
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    expect(answers.map((r) => r.headers.get("RateLimit")?.match(/r=(\d+)/)?.[1])).toEqual(["4", "3", "2", "1", "0"]);
    const over = await me(c());
    expect(over.status).toBe(429);
    expect(Number(over.headers.get("Retry-After"))).toBeGreaterThan(0);
    expect(over.headers.get("RateLimit-Policy")).toBe('"token";q=5;w=60');
    // Disabled (by another process on the same database): refused on every instance at once.
    await db.throttle.deleteMany({ where: { key: { startsWith: "api:token:" } } });
    await db.user.update({ where: { id: user.id }, data: { disabledAt: new Date() } });
    for (const base of [a(), b(), c()]) expect((await me(base)).status).toBe(401);
  });

  it("makes one ticket from one form token sent to two instances at once", async () => {
    const user = await createUser(db);
    const session = await signIn(a(), user.email);
    const form = await (await fetch(`${a()}/tickets/new`, { headers: { Cookie: session.cookie } })).text();
    const fields = {
      _csrf: csrfOf(form),
      form_token: form.match(/name="form_token" value="([^"]+)"/)![1]!,
      subject: "Sent to two instances",
      description: "One form, sent twice through the load balancer.",
      priority: "High",
    };
    const answers = await Promise.all([b(), c()].map((base) => postForm(`${base}/tickets`, session.cookie, fields)));
    expect(answers.map((r) => r.status)).toEqual([303, 303]);
    // Each instance names its own address (absolute Location); both lead to the one ticket.
    const [first, second] = answers.map((r) => new URL(r.headers.get("Location")!).pathname);
    expect(first).toMatch(/^\/tickets\/\d+$/);
    expect(first).toBe(second);
    expect(await db.ticket.count({ where: { subject: fields.subject } })).toBe(1);
  });

  it("the setup link works once across all instances", async () => {
    const submit = async (base: string, email: string) => {
      const page = await fetch(`${base}/setup?token=${setupToken}`);
      expect(page.status).toBe(200);
      const fields = {
        _csrf: csrfOf(await page.text()),
        token: setupToken,
        name: "First Admin",
        email,
        password: "a long admin passphrase",
      };
      return postForm(`${base}/setup`, cookiesOf(page), fields);
    };
    const answers = await Promise.all([submit(a(), "one@example.com"), submit(b(), "two@example.com")]);
    expect(answers.map((r) => r.status).sort()).toEqual([303, 404]);
    expect(await db.user.count({ where: { role: "admin" } })).toBe(1);
    expect((await fetch(`${c()}/setup?token=${setupToken}`)).status).toBe(404);
  });

  it("loses no acknowledged ticket when one instance is killed mid-burst", async () => {
    const user = await createUser(db);
    const sessions = await Promise.all([a(), b(), c()].map((base) => signIn(base, user.email)));
    const acknowledged = new Map<number, string>();
    let killed = false;
    await Promise.all(
      Array.from({ length: 90 }, async (_, i) => {
        const node = i % 3;
        const subject = `Cluster burst ${i}`;
        const fields = {
          _csrf: sessions[node]!.csrf,
          subject,
          description: "Written while one instance dies.",
          priority: "Low",
        };
        try {
          const res = await postForm(`${nodes[node]!.base}/tickets`, sessions[node]!.cookie, fields);
          if (res.status === 303) acknowledged.set(Number(res.headers.get("Location")!.split("/").pop()), subject);
        } catch {
          // the connection died with the instance: not acknowledged
        }
        if (acknowledged.size >= 20 && !killed) {
          killed = true;
          nodes[0]!.child.kill("SIGKILL");
        }
      }),
    );
    expect(killed).toBe(true);
    const saved = await db.ticket.findMany({ where: { id: { in: [...acknowledged.keys()] } } });
    expect(saved.map((t) => [t.id, t.subject]).sort()).toEqual([...acknowledged].sort());
    // The survivors go on serving.
    expect(await status(`${b()}/tickets`, sessions[1]!.cookie)).toBe(200);
  });
});
