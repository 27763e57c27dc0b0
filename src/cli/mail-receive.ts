// npm run mail:receive < message.eml   (or, built: node dist/src/cli/mail-receive.js)
// For mail servers that deliver to a program (Postfix's pipe, procmail, an MTA's alias to a
// command): reads one message on standard input and files it like the IMAP poller does.
// Exit codes follow sysexits, which MTAs understand: 0 taken (or ignored as automatic mail, or
// already taken), 65 (EX_DATAERR) refused for good (too large, unreadable: the MTA bounces it with
// the reason, and the admin page lists it), 75 (EX_TEMPFAIL) the desk cannot take it now (the
// database is down): the MTA keeps it and tries again later.
import { loadConfigOrExit } from "../config.js";
import { createPrisma } from "../db/prisma.js";
import { makeDeps } from "../deps.js";
import { errorForLog } from "../http/errors.js";
import { receiveMail } from "../mail/incoming.js";

// A desk that is misconfigured cannot take mail now: the MTA keeps the message (75).
const config = loadConfigOrExit(75);
const db = createPrisma(config.databaseUrl);
const deps = makeDeps(config, db, { log: (line) => process.stderr.write(`${JSON.stringify(line)}\n`) });
let code = 0;
try {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of process.stdin as AsyncIterable<Buffer>) {
    // Past the limit only the head is kept: enough to name the message on the admin page.
    if (size <= config.mail.maxIncomingBytes) chunks.push(chunk);
    size += chunk.length;
  }
  const result = await receiveMail(deps, Buffer.concat(chunks), size);
  process.stdout.write(`${JSON.stringify(result)}\n`);
  if (result.outcome === "failed") {
    console.error(`Hyperdesk did not take this message: ${result.reason}`);
    code = 65;
  }
} catch (error) {
  console.error(`Hyperdesk cannot take mail right now: ${errorForLog(error as Error).error}`);
  code = 75;
} finally {
  await db.$disconnect();
}
process.exit(code);
