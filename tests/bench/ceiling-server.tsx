// The render ceiling: the signed-in list page, the ticket page and the agents' queue rendered by our own views and
// layout from rows held in memory, compressed as the app compresses, with no database, session,
// CSRF check or security headers. What the real pages could reach if data cost nothing.
// node --import tsx tests/bench/ceiling-server.tsx PORT DATABASE_URL TICKET_ID
import { serve } from "@hono/node-server";
import { Hono } from "hono";
import { loadConfig } from "../../src/config.js";
import { createPrisma, type Db } from "../../src/db/prisma.js";
import { makeDeps } from "../../src/deps.js";
import type { AppEnv } from "../../src/env.js";
import { compressFinished } from "../../src/http/compress.js";
import { findTicket, type TicketDetail } from "../../src/tickets/find.js";
import type { ListedTicket } from "../../src/tickets/list.js";
import { renderer } from "../../views/layouts/main.js";
import { QueuePage } from "../../views/queue/index.js";
import { TicketsPage } from "../../views/tickets/index.js";
import { TicketPage } from "../../views/tickets/show.js";

const [, , , databaseUrl, ticketId] = process.argv;
if (!databaseUrl || !ticketId) throw new Error("usage: ceiling-server.tsx PORT DATABASE_URL TICKET_ID");
const config = loadConfig({
  NODE_ENV: "production",
  AUTH_SECRET: "b".repeat(44),
  LOG_REQUESTS: "0",
  DATABASE_URL: databaseUrl,
});
const deps = makeDeps(config, {} as Db, { log: () => undefined });
const user = { id: 1, email: "bench@example.com", name: "Bench Requester", role: "requester" as const };
const now = new Date();
const words = ["printer", "wifi", "vpn", "monitor", "keyboard", "scanner", "email", "badge"];
const rows: ListedTicket[] = Array.from({ length: 25 }, (_, i) => ({
  id: 1000 - i,
  subject: `Bench ticket ${1000 - i}: the ${words[i % words.length]} does not work`,
  priority: ["Low", "Medium", "High", "Urgent"][i % 4]!,
  status: ["Open", "In progress", "Waiting", "Closed"][i % 4]!,
  createdAt: now,
  updatedAt: now,
  version: 1,
  guest: false,
  nextDueAt: new Date(now.getTime() + (i - 10) * 3_600_000),
  nextRiskAt: null,
  slaPausedAt: null,
  lastSpoke: "requester",
}));
const agent = { id: 2, email: "agent@example.com", name: "Bench Agent", role: "agent" as const };
/** The queue's rows: the same tickets with their people and tags, as the queue route gives them. */
const queueRows: ListedTicket[] = rows.map((r, i) => ({
  ...r,
  requester: { id: 1, name: user.name },
  assignee: i % 3 === 0 ? null : { id: 2, name: agent.name },
  tags: i % 4 === 0 ? ["wifi"] : [],
}));
/**
 * The ticket page's data: the bench's own ticket read once, at start, as the real page reads it
 * (its reply, history and state), then held in memory. Until 2026-12-08 this was a literal that
 * had fallen behind the ticket's shape (no `mergedIntoId`, so the view took it for a merged
 * ticket and left out the thread, the reply form and the closure form): a smaller page than the
 * real one, which made the ticket page's ratio look worse than it was.
 */
const db = createPrisma(databaseUrl);
const found = await findTicket(makeDeps(config, db, { log: () => undefined }), user, Number(ticketId));
await db.$disconnect();
if (!found) throw new Error(`ticket ${ticketId} is not the bench requester's (user ${user.id})`);
const ticket: TicketDetail = found;

const app = new Hono<AppEnv>();
app.use(async (c, next) => {
  c.set("deps", deps);
  c.set("user", c.req.path.startsWith("/queue") ? agent : user);
  c.set("sessionId", "ceiling");
  c.set("csrfToken", "ceiling-csrf-token-0123456789");
  c.set("flash", null);
  c.set("guest", null);
  await next();
});
app.use(compressFinished());
app.use(renderer);
app.get("/tickets", (c) =>
  c.render(<TicketsPage tickets={rows} query={{}} firstUrl={undefined} nextUrl="/tickets?cursor=975" />, {
    title: "My tickets",
  }),
);
app.get("/tickets/:id", (c) =>
  c.render(<TicketPage ticket={ticket} back="/tickets" viewer={{ id: 1, staff: false }} staff={[]} />, {
    title: `#${ticket.id} ${ticket.subject}`,
  }),
);
app.get("/queue", (c) =>
  c.render(
    <QueuePage
      tickets={queueRows}
      nextUrl="/queue?cursor=975"
      query={{}}
      counts={{ Open: 250, "In progress": 250, Waiting: 250, Closed: 250 }}
      staff={[{ id: 2, name: agent.name }]}
      me={2}
    />,
    { title: "Queue" },
  ),
);
serve({ fetch: app.fetch, port: Number(process.argv[2]), hostname: "127.0.0.1" }, () => process.send?.("ready"));
process.on("SIGTERM", () => process.exit(0));
