import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sweep } from "../../src/db/sweep.js";
import { createUser, type TestApp, testApp } from "../helpers/app.js";

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(() => t.close());

const HOUR = 3_600_000;

describe("sweep", () => {
  it("removes what can no longer matter, in batches, and keeps everything still in use", async () => {
    const user = await createUser(t.db);
    const at = (ms: number) => new Date(t.clock.t + ms);
    // 1,200 sessions that expired two days ago: more than two batches.
    await t.db.session.createMany({
      data: Array.from({ length: 1200 }, () => ({ id: randomUUID(), userId: user.id, expiresAt: at(-48 * HOUR) })),
    });
    const keep = { live: randomUUID(), endedRecently: randomUUID() };
    await t.db.session.create({ data: { id: keep.live, userId: user.id, expiresAt: at(HOUR) } });
    await t.db.session.create({
      data: { id: keep.endedRecently, userId: user.id, expiresAt: at(HOUR), revokedAt: at(-HOUR) },
    });
    await t.db.throttle.createMany({
      data: [
        { key: "login:account:old", count: 5, resetAt: at(-HOUR) },
        { key: "login:account:open", count: 5, resetAt: at(HOUR) },
      ],
    });
    await t.db.formToken.createMany({
      data: [
        { token: "old-token-000000000", userId: user.id, createdAt: at(-25 * HOUR) },
        { token: "new-token-000000000", userId: user.id, createdAt: at(-HOUR) },
      ],
    });
    await t.db.draft.createMany({
      data: [
        { id: randomUUID(), userId: user.id, path: "/tickets/new", fields: "{}", createdAt: at(-25 * HOUR) },
        { id: randomUUID(), userId: user.id, path: "/tickets/new", fields: "{}", createdAt: at(-HOUR) },
      ],
    });

    await t.db.linkToken.createMany({
      data: [
        { hash: "old-link", userId: user.id, purpose: "signin", expiresAt: at(-25 * HOUR) },
        { hash: "new-link", userId: user.id, purpose: "reset", expiresAt: at(-HOUR) },
      ],
    });

    await t.db.apiIdempotency.createMany({
      data: [
        { tokenId: 1, key: "old", fingerprint: "f", status: 201, body: "{}", createdAt: at(-25 * HOUR) },
        { tokenId: 1, key: "new", fingerprint: "f", status: 201, body: "{}", createdAt: at(-HOUR) },
      ],
    });

    // Webhook deliveries: one delivered 31 days ago goes; a failed one that old stays for its log, as does a recent one.
    const endpoint = await t.db.webhookEndpoint.create({
      data: { url: "https://hooks.example/x", events: "ticket.created", secret: "whsec_x" },
    });
    const delivery = (messageId: string, status: string, days: number) => ({
      endpointId: endpoint.id,
      messageId,
      type: "ticket.created",
      payload: "{}",
      status,
      nextAttemptAt: at(-days * 24 * HOUR),
      createdAt: at(-days * 24 * HOUR),
    });
    await t.db.webhookDelivery.createMany({
      data: [
        delivery("msg_old", "delivered", 31),
        delivery("msg_failed", "failed", 31),
        delivery("msg_new", "delivered", 2),
      ],
    });

    expect(await sweep(t.deps)).toEqual({
      WebhookDelivery: 1,
      Session: 1200,
      Throttle: 1,
      FormToken: 1,
      Draft: 1,
      LinkToken: 1,
      ApiIdempotency: 1,
      PendingSignIn: 0,
      SsoState: 0,
      SsoLink: 0,
      PasskeyChallenge: 0,
    });
    expect((await t.db.session.findMany({ where: { userId: user.id } })).map((s) => s.id).sort()).toEqual(
      Object.values(keep).sort(),
    );
    expect((await t.db.throttle.findMany()).map((r) => r.key)).toContain("login:account:open");
    expect(await t.db.formToken.count({ where: { userId: user.id } })).toBe(1);
    expect(await t.db.draft.count({ where: { userId: user.id } })).toBe(1);
    expect((await t.db.linkToken.findMany()).map((r) => r.hash)).toEqual(["new-link"]);
    expect((await t.db.webhookDelivery.findMany({ orderBy: { id: "asc" } })).map((r) => r.messageId)).toEqual([
      "msg_failed",
      "msg_new",
    ]);

    // More than a day after both ended (the live one expires in an hour), they go too.
    t.clock.advance(26 * HOUR);
    const later = await sweep(t.deps);
    expect([later.Session, later.LinkToken, later.ApiIdempotency]).toEqual([2, 1, 1]);
    expect(await t.db.session.count({ where: { userId: user.id } })).toBe(0);
    expect((await t.db.apiIdempotency.findMany()).map((r) => r.key)).toEqual([]);
    expect(await sweep(t.deps)).toEqual({
      Session: 0,
      Throttle: 0,
      FormToken: 0,
      Draft: 0,
      LinkToken: 0,
      ApiIdempotency: 0,
      WebhookDelivery: 0,
      PendingSignIn: 0,
      SsoState: 0,
      SsoLink: 0,
      PasskeyChallenge: 0,
    });
  });
});

describe("the SQLite planner's statistics", () => {
  it("are gathered by the sweep once the tickets have grown (PRAGMA optimize)", async () => {
    if (t.config.databaseUrl.startsWith("postgres")) return; // PostgreSQL's autovacuum analyses on its own
    const requester = await createUser(t.db);
    await t.db.ticket.createMany({
      data: Array.from({ length: 2000 }, (_, i) => ({
        subject: `Ticket ${i}`,
        description: "Seeded.",
        requesterId: requester.id,
        nextDueAt: i % 2 ? new Date(t.clock.t + i * 60_000) : null,
      })),
    });
    const analysed = async () =>
      (await t.db.$queryRawUnsafe<{ idx: string }[]>(`SELECT idx FROM sqlite_stat1 WHERE tbl = 'Ticket'`)).map(
        (r) => r.idx,
      );
    await sweep(t.deps);
    expect(await analysed()).toContain("Ticket_nextDueAt_id_idx");
    // STAT4's samples are not kept: with them a statement whose parameter meets a sampled index
    // compiles again at every run (a ticket's page: 16 -> 97 microseconds a statement).
    const samples = async () =>
      Number((await t.db.$queryRawUnsafe<{ n: bigint }[]>(`SELECT count(*) AS n FROM sqlite_stat4`))[0]!.n);
    expect(await samples()).toBe(0);
    // A desk whose samples were gathered before (by an older version, or ANALYZE by hand) loses them.
    await t.db.$executeRawUnsafe("ANALYZE");
    expect(await samples()).toBeGreaterThan(0);
    await sweep(t.deps);
    expect(await samples()).toBe(0);
    expect(await analysed()).toContain("Ticket_nextDueAt_id_idx");
  });
});
