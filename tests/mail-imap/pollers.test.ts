import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createPrisma, type Db } from "../../src/db/prisma.js";
import { freshDatabase } from "../helpers/databases.js";
import { eml, mailbox } from "../helpers/imap.js";
import { type Running, startServer } from "../helpers/process.js";

// Two app instances polling one mailbox, as two machines behind a load balancer would: every
// message makes one ticket, whichever instance takes it first.

const FOLDER = `Two${process.pid}`;
let database: Awaited<ReturnType<typeof freshDatabase>>;
let db: Db;
const nodes: Running[] = [];

beforeAll(async () => {
  database = await freshDatabase(inject("templateDatabase"));
  db = createPrisma(database.url);
  const env = {
    IMAP_URL: inject("imapUrl"),
    IMAP_FOLDER: FOLDER,
    IMAP_DONE_FOLDER: `${FOLDER}-done`,
    IMAP_FAILED_FOLDER: `${FOLDER}-failed`,
    IMAP_POLL_SECONDS: "0.2",
  };
  for (let i = 0; i < 2; i++) nodes.push(await startServer(database.url, env));
});
afterAll(async () => {
  for (const node of nodes) node.child.kill("SIGTERM");
  await Promise.all(nodes.map((n) => n.exited));
  await db.$disconnect();
  await database.drop();
});

describe("two pollers on one mailbox", () => {
  it("make one ticket per message", async () => {
    const box = await mailbox(inject("imapUrl"));
    const count = 20;
    for (let i = 0; i < count; i++)
      await box.append(FOLDER, eml({ from: `p${i}@example.org`, subject: `Parallel ${i}`, body: `Message ${i}.` }).raw);
    const until = Date.now() + 60_000;
    while ((await box.count(FOLDER)) > 0 || (await db.inboundMessage.count()) < count) {
      if (Date.now() > until) throw new Error("the pollers did not take every message");
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(await db.ticket.count()).toBe(count);
    expect(await db.inboundMessage.count({ where: { outcome: "created" } })).toBe(count);
    expect(await box.count(`${FOLDER}-done`)).toBe(count);
    await box.close();
    // Both instances said they poll the mailbox.
    for (const node of nodes) expect(node.output()).toContain(`folder ${FOLDER}`);
  });
});
