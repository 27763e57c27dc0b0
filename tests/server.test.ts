import http from "node:http";
import net from "node:net";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, inject, it, vi } from "vitest";
import { createPrisma, type Db } from "../src/db/prisma.js";
import { createUser } from "./helpers/app.js";
import { freshDatabase, provider } from "./helpers/databases.js";
import { signIn as signInAt, spawnServer as spawnAt, startServer } from "./helpers/process.js";

// These tests start processes (tsx compiles on start, bcrypt hashes): on a busy 2-core machine a
// start alone has taken over 10 s, so each gets two minutes rather than the suite's 30 s.
vi.setConfig({ testTimeout: 120_000, hookTimeout: 120_000 });

// The real process: src/server.ts as `npm start` runs it, on a database of this test file.

let database: Awaited<ReturnType<typeof freshDatabase>>;
let db: Db;
beforeAll(async () => {
  database = await freshDatabase(inject("templateDatabase"));
  db = createPrisma(database.url);
});
afterAll(async () => {
  await db.$disconnect();
  await database.drop();
});

const start = (extra: Record<string, string> = {}) => startServer(database.url, extra);
const spawnServer = (port: number, extra: Record<string, string> = {}) => spawnAt(database.url, port, extra);
const signIn = (port: number, email: string) => signInAt(`http://127.0.0.1:${port}`, email);

describe("the server process", () => {
  it("on SIGTERM finishes the request under way, then exits 0", async () => {
    const server = await start();
    // A browser that has the sign-in form: its cookie and token, so the server must read the body.
    const form = await fetch(`http://127.0.0.1:${server.port}/login`);
    const cookie = form.headers
      .getSetCookie()
      .map((c) => c.split(";")[0])
      .join("; ");
    const token = (await form.text()).match(/name="_csrf" value="([^"]+)"/)![1]!;
    const body = `_csrf=${token}&email=a@example.com&password=wrong-password-here`;
    const socket = net.connect(server.port, "127.0.0.1");
    await new Promise((r) => socket.once("connect", r));
    let response = "";
    socket.on("data", (d) => (response += d));
    // A request whose body is still arriving when the signal comes.
    socket.write(
      `POST /login HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: ${cookie}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${body.length}\r\n\r\n${body.slice(0, 10)}`,
    );
    await new Promise((r) => setTimeout(r, 300));
    server.child.kill("SIGTERM");
    await new Promise((r) => setTimeout(r, 300));
    expect(server.child.exitCode, "the process must wait for the request").toBeNull();
    socket.write(body.slice(10));
    expect(await server.exited).toBe(0);
    // The whole form was read and answered: a wrong password.
    expect(response).toMatch(/^HTTP\/1\.1 401 /);
    expect(server.output()).toContain("SIGTERM: finishing requests");
    expect(server.output()).toContain('"msg":"stopped"');
  });

  it("on SIGTERM under busy keep-alive clients, closes their connections and exits 0 within seconds", async () => {
    const server = await start();
    const agent = new http.Agent({ keepAlive: true, maxSockets: 2 });
    let afterSignal = 0;
    let signalled = false;
    const problems: string[] = [];
    const get = () =>
      new Promise<boolean>((resolve) => {
        const req = http.get({ host: "127.0.0.1", port: server.port, path: "/healthz", agent }, (res) => {
          res.resume();
          res.on("end", () => {
            if (signalled) afterSignal++;
            resolve(true);
          });
        });
        req.on("error", (error: NodeJS.ErrnoException) => {
          // Refused is the right answer once the server stopped listening; a reset is not.
          if (error.code !== "ECONNREFUSED") problems.push(error.code ?? error.message);
          resolve(false);
        });
      });
    const busy = async () => {
      while (await get());
    };
    const clients = [busy(), busy()];
    await new Promise((r) => setTimeout(r, 500));
    const t0 = performance.now();
    signalled = true;
    server.child.kill("SIGTERM");
    const code = await server.exited;
    const stoppedMs = performance.now() - t0;
    await Promise.all(clients);
    agent.destroy();
    expect(code).toBe(0);
    expect(stoppedMs).toBeLessThan(5000);
    expect(afterSignal).toBeLessThan(50);
    expect(problems).toEqual([]);
  });

  it("closes connections that send their headers too slowly, and serves others meanwhile", async () => {
    const server = await start({ HEADERS_TIMEOUT_SECONDS: "1" });
    const slow = await Promise.all(
      Array.from({ length: 200 }, async () => {
        const socket = net.connect(server.port, "127.0.0.1");
        await new Promise((r) => socket.once("connect", r));
        socket.write("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n");
        const closed = new Promise<string>((resolve) => {
          let answer = "";
          socket.on("data", (d) => (answer += d));
          socket.on("close", () => resolve(answer));
          socket.on("error", () => {});
          // one more header line each half second: never finishing
          const drip = setInterval(() => socket.writable && socket.write("X-Slow: 1\r\n"), 500);
          socket.on("close", () => clearInterval(drip));
        });
        return { closed };
      }),
    );
    // 200 sockets dripping headers; a page view still gets its answer.
    const page = await fetch(`http://127.0.0.1:${server.port}/healthz`);
    expect(page.status).toBe(200);
    const answers = await Promise.all(slow.map((s) => s.closed));
    expect(answers.every((a) => a === "" || a.startsWith("HTTP/1.1 408"))).toBe(true);
    server.child.kill("SIGTERM");
    expect(await server.exited).toBe(0);
  });

  it.runIf(provider() === "sqlite")(
    "says what is wrong when another program locks the SQLite file, and exits 1",
    async () => {
      const holder = new Database(database.url.slice("file:".length));
      holder.exec("PRAGMA locking_mode = EXCLUSIVE; BEGIN EXCLUSIVE;");
      try {
        const child = spawnServer(0);
        let out = "";
        child.stdout!.on("data", (d) => (out += d));
        child.stderr!.on("data", (d) => (out += d));
        const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
        expect(code).toBe(1);
        expect(out).toContain("Hyperdesk cannot use its database");
        expect(out).toContain("another program holds a lock on it");
        expect(out).not.toMatch(/\n\s+at /);
      } finally {
        holder.exec("ROLLBACK");
        holder.close();
      }
    },
  );

  it("says which port is taken and how to choose another, instead of a stack trace", async () => {
    const taken = net.createServer();
    await new Promise<void>((r) => taken.listen(0, "127.0.0.1", r));
    const { port } = taken.address() as net.AddressInfo;
    const child = spawnServer(port);
    let out = "";
    child.stdout!.on("data", (d) => (out += d));
    child.stderr!.on("data", (d) => (out += d));
    const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
    taken.close();
    expect(code).toBe(1);
    expect(out).toContain(`Hyperdesk cannot listen on 127.0.0.1:${port}: port ${port} is already in use`);
    expect(out).toContain("PORT=");
    expect(out).not.toMatch(/\n\s+at /);
  });

  it("killed with SIGKILL during concurrent writes, loses no acknowledged ticket and stays intact", async () => {
    const user = await createUser(db);
    const server = await start();
    const { cookie, csrf } = await signIn(server.port, user.email);
    const acknowledged = new Map<number, string>();
    let killed = false;
    const writes = Array.from({ length: 60 }, async (_, i) => {
      const subject = `Crash test ticket ${i}`;
      try {
        const res = await fetch(`http://127.0.0.1:${server.port}/tickets`, {
          method: "POST",
          redirect: "manual",
          headers: { "Content-Type": "application/x-www-form-urlencoded", Cookie: cookie },
          body: new URLSearchParams({
            _csrf: csrf,
            subject,
            description: "Written while the server is killed.",
            priority: "High",
          }),
        });
        if (res.status === 303) acknowledged.set(Number(res.headers.get("Location")!.split("/").pop()), subject);
        if (acknowledged.size >= 15 && !killed) {
          killed = true;
          server.child.kill("SIGKILL");
        }
      } catch {
        // the connection died with the process: not acknowledged
      }
    });
    await Promise.all(writes);
    await server.exited;
    expect(killed).toBe(true);
    expect(acknowledged.size).toBeGreaterThanOrEqual(15);
    const saved = await db.ticket.findMany({ where: { id: { in: [...acknowledged.keys()] } } });
    expect(saved.map((t) => [t.id, t.subject]).sort()).toEqual([...acknowledged].sort());
    if (provider() === "sqlite") {
      const check = await db.$queryRawUnsafe<{ integrity_check: string }[]>("PRAGMA integrity_check");
      expect(check[0]!.integrity_check).toBe("ok");
    }
    const restarted = await start();
    expect((await fetch(`http://127.0.0.1:${restarted.port}/readyz`)).status).toBe(200);
    restarted.child.kill("SIGTERM");
    expect(await restarted.exited).toBe(0);
  });
});
