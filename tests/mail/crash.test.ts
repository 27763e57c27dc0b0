import { spawn } from "node:child_process";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createPrisma, type Db } from "../../src/db/prisma.js";
import { createUser } from "../helpers/app.js";
import { freshDatabase } from "../helpers/databases.js";
import { csrfOf, postForm, type Running, signIn, startServer } from "../helpers/process.js";
import { startSmtp, type TestSmtp } from "../helpers/smtp.js";

// The outbox across real process deaths: a message whose change committed is sent even when the
// process dies before (or while) sending it, and a stopping worker gives back what it holds.

let smtp: TestSmtp;
let database: Awaited<ReturnType<typeof freshDatabase>>;
let db: Db;
const running: Running[] = [];

beforeAll(async () => {
  smtp = await startSmtp();
  database = await freshDatabase(inject("templateDatabase"));
  db = createPrisma(database.url);
});
afterAll(async () => {
  for (const r of running) if (r.child.exitCode === null) r.child.kill("SIGKILL");
  await Promise.all(running.map((r) => r.exited));
  await smtp.close();
  await db.$disconnect();
  await database.drop();
});

const mailEnv = () => ({ SMTP_URL: smtp.url, MAIL_POLL_SECONDS: "0.1", MAIL_LEASE_SECONDS: "2" });
const until = async (check: () => Promise<boolean> | boolean, ms = 15_000) => {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 25));
  }
};

async function openTicketOn(base: string, email: string, subject: string) {
  const { cookie } = await signIn(base, email);
  const form = await (await fetch(`${base}/tickets/new`, { headers: { Cookie: cookie } })).text();
  const token = form.match(/name="form_token" value="([^"]+)"/)![1]!;
  const res = await postForm(`${base}/tickets`, cookie, {
    _csrf: csrfOf(form),
    form_token: token,
    subject,
    description: "The screen flickers when the kiosk wakes up.",
    priority: "Medium",
  });
  expect(res.status).toBe(303);
  return Number(res.headers.get("Location")!.match(/\/tickets\/(\d+)/)![1]);
}

describe("the app process killed with SIGKILL between commit and send", () => {
  it("sends the message after a restart, once, with the Message-ID it was written with", async () => {
    const user = await createUser(db);
    smtp.holding = true;
    const first = await startServer(database.url, mailEnv());
    running.push(first);
    const id = await openTicketOn(first.base, user.email, "Killed mid-send");
    // The worker has handed the message to the server and waits for its answer: kill it there.
    await until(() => smtp.held === 1);
    first.child.kill("SIGKILL");
    await first.exited;
    const claimed = await db.outboxMessage.findFirstOrThrow({ where: { ticketId: id } });
    expect([claimed.status, claimed.attempts]).toEqual(["sending", 1]);
    expect(smtp.received).toHaveLength(0);

    smtp.holding = false;
    const second = await startServer(database.url, mailEnv());
    running.push(second);
    // The dead worker's lease (2 s) runs out, and the new process sends the same message.
    await smtp.waitFor(1);
    expect(smtp.received[0]!.parsed.messageId).toBe(claimed.messageId);
    await until(
      async () => (await db.outboxMessage.findUniqueOrThrow({ where: { id: claimed.id } })).status === "sent",
    );
    const sent = await db.outboxMessage.findUniqueOrThrow({ where: { id: claimed.id } });
    expect(sent.attempts).toBe(2);
    second.child.kill("SIGTERM");
    expect(await second.exited).toBe(0);
    expect(smtp.received).toHaveLength(1);
    smtp.received.length = 0;
  }, 60_000);
});

describe("npm run worker: the worker on its own", () => {
  it("sends what app instances without a worker (MAIL_WORKER=false) wrote, and stops cleanly on SIGTERM", async () => {
    const user = await createUser(db);
    const app = await startServer(database.url, { ...mailEnv(), MAIL_WORKER: "false" });
    running.push(app);
    const id = await openTicketOn(app.base, user.email, "Sent by the separate worker");
    await new Promise((r) => setTimeout(r, 500));
    expect((await db.outboxMessage.findFirstOrThrow({ where: { ticketId: id } })).status).toBe("waiting");

    const child = spawn(process.execPath, ["--import", "tsx", "src/worker.ts"], {
      env: { ...process.env, ...mailEnv(), DATABASE_URL: database.url, AUTH_SECRET: "x".repeat(40), NODE_ENV: "test" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (out += d));
    const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
    await smtp.waitFor(1);
    expect(smtp.received[0]!.parsed.subject).toBe(`[#${id}] Sent by the separate worker`);
    await until(async () => (await db.outboxMessage.findFirstOrThrow({ where: { ticketId: id } })).status === "sent");
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
    expect(out).toContain("Sending email as support@hyperdesk.localhost");
    expect(out).toContain('"msg":"stopped"');
    app.child.kill("SIGTERM");
    await app.exited;
  }, 60_000);
});
