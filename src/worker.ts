import { loadConfigOrExit } from "./config.js";
import { prisma } from "./db/prisma.js";
import { exitIfNewerSchema } from "./db/schema-version.js";
import { makeDeps } from "./deps.js";
import { startMail } from "./mail/start.js";

// `npm run worker`: the outbox worker on its own, for sites that run it apart from the app
// (set MAIL_WORKER=false on the app instances then). Several may run against one database.
const config = loadConfigOrExit();
await exitIfNewerSchema(config.databaseUrl);
const db = prisma(config.databaseUrl);
const deps = makeDeps(config, db);
const worker = startMail(deps);
deps.log({ msg: "Hyperdesk mail worker running", owner: worker.owner });

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  deps.log({ msg: `${signal}: finishing the message being sent, giving back the rest` });
  await worker.stop();
  await db.$disconnect();
  deps.log({ msg: "stopped" });
  process.exit(0);
}
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));
// The worker's timer does not keep the process up on its own.
setInterval(() => {}, 1 << 30);
