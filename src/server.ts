import type { Server } from "node:http";
import net from "node:net";
import { serve } from "@hono/node-server";
import { createApp } from "./app.js";
import { configWarnings, loadConfigOrExit } from "./config.js";
import { prisma } from "./db/prisma.js";
import { exitIfNewerSchema } from "./db/schema-version.js";
import { startSweeping } from "./db/sweep.js";
import { makeDeps } from "./deps.js";
import { reportFastPaths } from "./fast-paths.js";
import { errorForLog } from "./http/errors.js";
import { startMail } from "./mail/start.js";
import { closePasswordWorkers } from "./users/bcrypt-pool.js";
import { startSessionFeed } from "./users/session-cache.js";
import { announceFirstAdminSetup } from "./users/setup.js";

// The one module with side effects: read the config, build the app, listen, shut down cleanly.
const config = loadConfigOrExit();

// A database a newer version upgraded is refused before anything reads it (npm start checks this
// before migrating too; this is for a server started some other way).
await exitIfNewerSchema(config.databaseUrl);
const db = prisma(config.databaseUrl);
const deps = makeDeps(config, db);
try {
  await announceFirstAdminSetup(deps);
} catch (error) {
  // The first query: a database that cannot be used is explained, not dumped as a driver's stack.
  const locked = (error as { code?: string }).code === "P1008" || /locked|busy|timeout/i.test(String(error));
  const why = locked
    ? "another program holds a lock on it (another Hyperdesk, sqlite3, or a backup tool?); stop it and start again"
    : errorForLog(error as Error).error;
  console.error(
    `Hyperdesk cannot use its database (${config.databaseUrl.split("?")[0]!.replace(/\/\/[^@/]*@/, "//")}): ${why}.`,
  );
  await db.$disconnect().catch(() => {});
  process.exit(1);
}
const app = createApp(deps);
for (const warning of configWarnings(config)) deps.log({ level: "warn", msg: warning });
// A dependency upgrade that took away an internal a speed shim relies on is said here, once.
await reportFastPaths(deps, app);
const stopSweeping = startSweeping(deps);
// Other instances' sign-outs, disablings and role changes reach this one's session cache.
const stopSessionFeed = startSessionFeed(deps);
const mailWorker = config.mail.worker ? startMail(deps) : undefined;
const started = performance.now();
const { headersTimeoutMs, requestTimeoutMs, keepAliveTimeoutMs, maxConnections } = config.server;
// Slow clients cannot hold sockets for long: headers and whole requests have deadlines, checked
// every second (Node's default check runs every 30 s), and the number of sockets is capped.
const serverOptions = {
  headersTimeout: headersTimeoutMs,
  requestTimeout: requestTimeoutMs,
  keepAliveTimeout: keepAliveTimeoutMs,
  connectionsCheckingInterval: 1000,
};
const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host, serverOptions }, (info) => {
  deps.log({
    msg: `Hyperdesk listening on http://${config.host === "0.0.0.0" ? "localhost" : config.host}:${info.port}`,
    database: config.databaseUrl.split(":")[0],
    startup_ms: Math.round(performance.now() - started),
  });
});
(server as Server).maxConnections = maxConnections;
server.on("error", (error: NodeJS.ErrnoException) => {
  // A newcomer's most likely first problem: say what to do instead of printing a stack.
  const why =
    error.code === "EADDRINUSE"
      ? `port ${config.port} is already in use (another Hyperdesk?); stop it or start with PORT=3001`
      : error.code === "EACCES"
        ? `port ${config.port} needs more privileges; use a port above 1023`
        : error.message;
  console.error(`Hyperdesk cannot listen on ${config.host}:${config.port}: ${why}.`);
  void db.$disconnect().finally(() => process.exit(1));
});

let stopping = false;
function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  // Readiness fails first and no new connection is accepted; requests under way finish, each
  // answered with Connection: close, so a busy keep-alive client's socket ends after its answer
  // instead of keeping the server serving; sockets still idle a second later are closed; then
  // the database. (http.Server's own close() would also cut idle keep-alive sockets at once,
  // racing a client that is just sending its next request on one: that request would be reset.)
  deps.state.draining = true;
  stopSweeping();
  deps.log({ msg: `${signal}: finishing requests, then exiting` });
  setTimeout(() => (server as Server).closeIdleConnections(), 1000).unref();
  const force = setTimeout(() => {
    deps.log({ level: "error", msg: "requests still running after 20 s; exiting anyway" });
    process.exit(1);
  }, 20_000);
  force.unref();
  const mailStopped = mailWorker?.stop();
  net.Server.prototype.close.call(server, async () => {
    await mailStopped;
    await closePasswordWorkers();
    await stopSessionFeed();
    await db.$disconnect();
    deps.log({ msg: "stopped" });
    process.exit(0);
  });
}
process.on("SIGTERM", () => shutdown("SIGTERM"));
process.on("SIGINT", () => shutdown("SIGINT"));
