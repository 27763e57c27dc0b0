import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CurrentUser } from "../../src/env.js";
import { findTicket } from "../../src/tickets/find.js";
import { isStaff } from "../../src/users/authorization.js";
import { createUser, type TestApp, testApp } from "../helpers/app.js";

// findTicket is one tagged SQL statement (readRows: the ticket with its people, and its files,
// replies and events as JSON columns); this is the Prisma query it replaced. On the same rows, for
// staff and requesters, it must return exactly the same.

let t: TestApp;
let requester: CurrentUser;
let stranger: CurrentUser;
let agent: CurrentUser;
let admin: CurrentUser;
const ids: number[] = [];

async function reference(user: CurrentUser, id: number) {
  const staff = isStaff(user);
  const visible = staff ? {} : { internal: false };
  const found = await t.db.ticket.findFirst({
    where: { id, ...(staff ? {} : { requesterId: user.id }) },
    include: {
      requester: { select: { id: true, name: true, email: true } },
      assignee: { select: { id: true, name: true } },
      attachments: {
        orderBy: { id: "asc" },
        select: { id: true, name: true, type: true, size: true, contentHash: true, replyId: true },
      },
      replies: {
        where: visible,
        orderBy: { id: "asc" },
        include: { author: { select: { id: true, name: true, role: true } } },
      },
      events: { where: visible, orderBy: { id: "asc" }, include: { actor: { select: { id: true, name: true } } } },
      tags: { select: { tag: { select: { id: true, name: true } } } },
    },
  });
  if (!found) return null;
  const { attachments, replies, tags, ...ticket } = found;
  return {
    ...ticket,
    tags: staff ? tags.map((x) => x.tag).sort((a, b) => a.name.localeCompare(b.name)) : [],
    attachments: attachments.filter((f) => f.replyId === null),
    replies: replies.map((r) => ({ ...r, attachments: attachments.filter((f) => f.replyId === r.id) })),
  };
}

beforeAll(async () => {
  t = await testApp();
  requester = await createUser(t.db, { name: "Rita Requester" });
  stranger = await createUser(t.db, { name: "Sam Stranger" });
  agent = await createUser(t.db, { name: "Ada Agent", role: "agent" });
  admin = await createUser(t.db, { name: "Al Admin", role: "admin" });
  const file = (ticketId: number, replyId: number | null, name: string) =>
    t.db.attachment.create({
      data: { ticketId, replyId, name, type: "image/png", size: 1234, contentHash: "ab".repeat(32) },
    });
  // A bare ticket; one with everything (assignee, closed, guest code, replies, notes, files, events).
  const bare = await t.db.ticket.create({
    data: { subject: "Bare", description: "Nothing yet", requesterId: requester.id },
  });
  const full = await t.db.ticket.create({
    data: {
      subject: "Full",
      description: "Everything",
      priority: "Urgent",
      status: "Closed",
      closedAt: new Date("2026-11-25T10:00:00Z"),
      requesterId: requester.id,
      assigneeId: agent.id,
      version: 7,
      guest: true,
      accessCode: "hmac-of-the-code",
    },
  });
  await file(full.id, null, "description.png");
  const reply = await t.db.reply.create({
    data: { ticketId: full.id, authorId: agent.id, body: "A reply", emailText: "A reply\n> quoted" },
  });
  await file(full.id, reply.id, "reply.png");
  const note = await t.db.reply.create({
    data: { ticketId: full.id, authorId: admin.id, body: "A note", internal: true },
  });
  await file(full.id, note.id, "note.png");
  await t.db.reply.create({ data: { ticketId: full.id, authorId: requester.id, body: "Thanks" } });
  // Tags (staff see them, in name order; requesters none).
  for (const name of ["printer", "floor 2", "ünïcödé"])
    await t.db.ticketTag.create({ data: { ticket: { connect: { id: full.id } }, tag: { create: { name } } } });
  // Text that JSON must carry exactly (the replies come back inside one JSON column).
  await t.db.reply.create({
    data: {
      ticketId: full.id,
      authorId: requester.id,
      body: "Quotes \" ' and \\ a backslash,\nlines, ünïcödé ✓ 😀, <b>tags</b>",
    },
  });
  for (const [kind, internal] of [
    ["created", false],
    ["assignee", false],
    ["note", true],
    ["status", false],
  ] as const)
    await t.db.ticketEvent.create({
      data: { ticketId: full.id, actorId: agent.id, kind, fromValue: "a", toValue: internal ? null : "b", internal },
    });
  ids.push(bare.id, full.id, 999_999);
});
afterAll(() => t.close());

describe("findTicket returns exactly what the Prisma query returned", () => {
  it.each(["requester", "stranger", "agent", "admin"] as const)("to the %s, for each ticket", async (who) => {
    const user = { requester, stranger, agent, admin }[who];
    for (const id of ids) expect(await findTicket(t.deps, user, id), `ticket ${id}`).toEqual(await reference(user, id));
  });

  it("hides internal notes, their files and their events from the requester, and the ticket from others", async () => {
    const [, full] = ids as [number, number];
    const mine = (await findTicket(t.deps, requester, full))!;
    expect(mine.replies.map((r) => r.body).slice(0, 2)).toEqual(["A reply", "Thanks"]);
    expect(mine.replies.flatMap((r) => r.attachments.map((f) => f.name))).toEqual(["reply.png"]);
    expect(mine.events.map((e) => e.kind)).toEqual(["created", "assignee", "status"]);
    expect(await findTicket(t.deps, stranger, full)).toBeNull();
    const staffView = (await findTicket(t.deps, agent, full))!;
    expect(staffView.replies.map((r) => r.body).slice(0, 3)).toEqual(["A reply", "A note", "Thanks"]);
    expect(staffView.attachments.map((f) => f.name)).toEqual(["description.png"]);
  });
});
