// npm run db:seed: demo people of each role and about 50 tickets, on the configured database.
import bcrypt from "bcryptjs";
import { loadConfigOrExit } from "../src/config.js";
import { applyMigrations } from "../src/db/migrate.js";
import { createPrisma } from "../src/db/prisma.js";
import { makeDeps } from "../src/deps.js";
import { recomputeOpenTickets } from "../src/sla/recompute.js";
import { PRIORITIES, STATUSES } from "../src/tickets/model.js";

export const DEMO_PASSWORD = "hyperdesk demo password";
const PEOPLE = [
  { email: "admin@example.com", name: "Ada Admin", role: "admin" },
  { email: "agent@example.com", name: "Alex Agent", role: "agent" },
  { email: "agent2@example.com", name: "Sam Support", role: "agent" },
  { email: "requester@example.com", name: "Riley Requester", role: "requester" },
  { email: "kiosk@example.com", name: "Kim Kiosk", role: "requester" },
  { email: "pat@example.com", name: "Pat Patel", role: "requester" },
];
/** A tag for each subject (the queue shows and filters by them). */
const TAGS = ["printer", "wifi", "email", "kiosk", "access", "vpn", "card reader", "email"];
const SUBJECTS = [
  "Printer on floor 2 is jammed",
  "Cannot connect to the Wi-Fi in the library",
  "Password reset email never arrived",
  "Screen flickers on kiosk 4",
  "Request: access to the shared drive",
  "VPN disconnects every few minutes",
  "Card reader at the front desk rejects cards",
  "Email attachments will not open",
];

const config = loadConfigOrExit();
// A fresh database has no tables yet: bring it up to date first, as `npm start` would.
applyMigrations(config.databaseUrl);
const db = createPrisma(config.databaseUrl);
const hash = await bcrypt.hash(DEMO_PASSWORD, config.bcryptCost);
const users = [];
for (const p of PEOPLE)
  users.push(
    await db.user.upsert({
      where: { email: p.email },
      create: { ...p, passwordHash: hash },
      update: { role: p.role, passwordHash: hash, disabledAt: null },
    }),
  );
// A status of the desk's own (admins add more at /admin/statuses): a waiting one, so its clock stops.
await db.ticketStatus.upsert({
  where: { name: "Waiting for parts" },
  create: { name: "Waiting for parts", kind: "waiting" },
  update: {},
});
const requesters = users.filter((u) => u.role === "requester");
const agents = users.filter((u) => u.role !== "requester");
if ((await db.ticket.count()) < 50) {
  const now = Date.now();
  for (let i = 0; i < 50; i++) {
    const requester = requesters[i % requesters.length]!;
    const status = i % 10 === 7 ? "Waiting for parts" : STATUSES[i % STATUSES.length]!;
    const createdAt = new Date(now - (50 - i) * 3 * 3_600_000);
    const ticket = await db.ticket.create({
      data: {
        subject: `${SUBJECTS[i % SUBJECTS.length]} (${i + 1})`,
        description: `Reported from the demo data.\nIt happened again today around ${8 + (i % 9)}:00.`,
        priority: PRIORITIES[(i + Math.floor(i / 4)) % PRIORITIES.length]!,
        status,
        createdAt,
        updatedAt: new Date(createdAt.getTime() + (i % 5) * 1_800_000),
        closedAt: status === "Closed" ? new Date(createdAt.getTime() + 3_600_000) : null,
        requesterId: requester.id,
        assigneeId: i % 3 === 0 ? null : agents[i % agents.length]!.id,
      },
    });
    await db.ticketEvent.create({
      data: { ticketId: ticket.id, actorId: requester.id, kind: "created", toValue: ticket.priority, createdAt },
    });
    const name = TAGS[i % TAGS.length]!;
    const tag = await db.tag.upsert({ where: { name }, create: { name }, update: {} });
    await db.ticketTag.create({ data: { ticketId: ticket.id, tagId: tag.id } });
    if (i % 2 === 0) {
      // The desk's first answer: the first-response target met (the due times are reckoned below).
      await db.ticket.update({
        where: { id: ticket.id },
        data: {
          firstResponseAt: new Date(createdAt.getTime() + 600_000),
          lastSpoke: "staff",
          updatedAt: ticket.updatedAt,
        },
      });
      await db.reply.create({
        data: {
          ticketId: ticket.id,
          authorId: agents[i % agents.length]!.id,
          body: "Thanks, we are looking into it.",
          createdAt: new Date(createdAt.getTime() + 600_000),
        },
      });
    }
  }
}
// Due times by the desk's policy (office hours and the default targets), as the SLA subscriber
// would have written them had each ticket been opened through the app.
await recomputeOpenTickets(makeDeps(config, db));
console.log(`Demo accounts (password for all: ${JSON.stringify(DEMO_PASSWORD)}):`);
for (const u of users) console.log(`  ${u.role.padEnd(9)} ${u.email}`);
console.log(`${await db.ticket.count()} tickets in the database.`);
await db.$disconnect();
