import { Zip, ZipDeflate, ZipPassThrough } from "fflate";
import { listTokens } from "../api/tokens.js";
import { cleanName } from "../attachments/names.js";
import { databaseStore } from "../attachments/store.js";
import type { CurrentUser, Deps } from "../env.js";
import { mailSettings } from "../mail/settings.js";
import { findTicket, type TicketDetail } from "../tickets/find.js";
import { isRole } from "./authorization.js";

// Everything the desk holds about a person, as one ZIP they download from /account (the right of
// access, GDPR art. 15, and of portability, art. 20): their account, their tickets with every
// public message and file, as JSON, and the files themselves. Internal notes are the desk's own
// working papers and are not in it. Built as it is sent: one file read from the database at a
// time, so a person with a thousand attachments costs one attachment's memory.

/** The layout of the archive, written into it as README.txt (and in docs/operating.md). */
export const ARCHIVE_README = `Your data from Hyperdesk
=========================

account.json   Your account: name, email address, role, language, when it was made and when
               its address was confirmed, the emails you chose to get, where you are signed in,
               your two-step sign-in (when turned on, your passkeys' names), single sign-on
               accounts linked to it, and your API tokens (names, scopes, dates; never the token).
tickets.json   Every ticket you opened: subject, description, status, priority, dates, and its
               conversation: every public message (yours and the desk's answers) in order, each
               with its author's name and the files it carried, and your answers to "How did
               we do?". Internal notes of the desk's staff are not included.
files/         The files of those tickets and messages: files/<ticket>/<file id>-<name>, as the
               "path" of each file in tickets.json says.

Dates are ISO 8601 in UTC. The JSON is UTF-8.
`;

type Entry = { name: string; bytes: Uint8Array; store?: boolean };

const json = (value: unknown) => new TextEncoder().encode(`${JSON.stringify(value, null, 2)}\n`);

/** account.json and tickets.json for this person, and the list of files to add after them. */
async function documentsOf(deps: Deps, user: CurrentUser) {
  const { db } = deps;
  const [row, mail, sessions, passkeys, identities, ticketIds] = await Promise.all([
    db.user.findUniqueOrThrow({ where: { id: user.id } }),
    mailSettings(db, { id: user.id, role: isRole(user.role) ? user.role : "requester" }),
    db.session.findMany({
      where: { userId: user.id, revokedAt: null, expiresAt: { gt: deps.clock.now() } },
      select: { userAgent: true, createdAt: true, lastSeenAt: true },
      orderBy: { createdAt: "asc" },
    }),
    db.passkey.findMany({ where: { userId: user.id }, select: { name: true, createdAt: true, lastUsedAt: true } }),
    db.ssoIdentity.findMany({
      where: { userId: user.id },
      select: { provider: true, createdAt: true, lastUsedAt: true },
    }),
    db.ticket.findMany({ where: { requesterId: user.id }, orderBy: { id: "asc" }, select: { id: true } }),
  ]);
  // Each ticket as its requester sees it on its page (tickets/find.ts): no internal notes, nothing a
  // merge brought from another person's ticket, and a merged ticket's own messages from where they went.
  const asRequester = { ...user, role: "requester" as const };
  const tickets: TicketDetail[] = [];
  for (const { id } of ticketIds) tickets.push((await findTicket(deps, asRequester, id))!);
  const fileIds = tickets.flatMap((t) =>
    [...t.attachments, ...t.replies.flatMap((r) => r.attachments)].map((f) => f.id),
  );
  const answers = await db.surveyAnswer.findMany({
    where: { ticketId: { in: ticketIds.map((t) => t.id) } },
    orderBy: { closedAt: "asc" },
  });
  const added = new Map(
    (await db.attachment.findMany({ where: { id: { in: fileIds } }, select: { id: true, createdAt: true } })).map(
      (f) => [f.id, f.createdAt],
    ),
  );
  const files: { path: string; hash: string }[] = [];
  const pathOf = (ticketId: number, f: { id: number; name: string }) =>
    `files/${ticketId}/${f.id}-${cleanName(f.name)}`;
  const fileJson = (ticketId: number, f: (typeof tickets)[number]["attachments"][number]) => {
    const path = pathOf(ticketId, f);
    files.push({ path, hash: f.contentHash });
    return { name: f.name, type: f.type, size: f.size, added: added.get(f.id)!.toISOString(), path };
  };
  const account = {
    name: row.name,
    email: row.email,
    role: row.role,
    language: row.language,
    created: row.createdAt.toISOString(),
    emailConfirmed: row.emailConfirmedAt?.toISOString() ?? null,
    emails: mail,
    signedIn: sessions.map((s) => ({
      browser: s.userAgent,
      since: s.createdAt.toISOString(),
      lastActive: s.lastSeenAt.toISOString(),
    })),
    twoStepSignIn: {
      authenticatorApp: row.totpEnabledAt?.toISOString() ?? null,
      passkeys: passkeys.map((p) => ({
        name: p.name,
        added: p.createdAt.toISOString(),
        lastUsed: p.lastUsedAt?.toISOString() ?? null,
      })),
    },
    singleSignOn: identities.map((i) => ({
      provider: i.provider,
      linked: i.createdAt.toISOString(),
      lastUsed: i.lastUsedAt.toISOString(),
    })),
    // Their API tokens as the account page lists them (never the token, which is not kept).
    apiTokens: (await listTokens(deps, user)).map((k) => ({
      name: k.name,
      scopes: k.scopes,
      made: k.createdAt.toISOString(),
      expires: k.expiresAt?.toISOString() ?? null,
      lastUsed: k.lastUsedAt?.toISOString() ?? null,
      lastUsedFrom: k.lastUsedIp,
    })),
  };
  const ticketsJson = tickets.map((t) => ({
    number: t.id,
    subject: t.subject,
    description: t.description,
    status: t.status,
    priority: t.priority,
    opened: t.createdAt.toISOString(),
    updated: t.updatedAt.toISOString(),
    closed: t.closedAt?.toISOString() ?? null,
    files: t.attachments.map((f) => fileJson(t.id, f)),
    messages: t.replies.map((r) => ({
      from: r.author.id === user.id ? "you" : r.author.name,
      sent: r.createdAt.toISOString(),
      text: r.body,
      files: r.attachments.map((f) => fileJson(t.id, f)),
    })),
    satisfaction: answers
      .filter((a) => a.ticketId === t.id)
      .map((a) => ({
        closed: a.closedAt.toISOString(),
        answer: a.rating,
        comment: a.comment,
        answered: a.changedAt.toISOString(),
      })),
  }));
  return { account, tickets: ticketsJson, files };
}

/**
 * The person's archive as a stream: the README and the two JSON documents first, then each file,
 * read from the database only when the reader wants more. Files are stored as they are (already
 * compressed images and PDFs gain nothing from deflate); text is deflated.
 */
export function personArchive(deps: Deps, user: CurrentUser): ReadableStream<Uint8Array> {
  let zip: Zip;
  let queue: Promise<{ entries: Entry[]; files: { path: string; hash: string }[] }> | undefined;
  let next = 0;
  const add = (entry: Entry) => {
    const file = entry.store ? new ZipPassThrough(entry.name) : new ZipDeflate(entry.name, { level: 6 });
    zip.add(file);
    file.push(entry.bytes, true);
  };
  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        zip = new Zip((error, chunk, final) => {
          if (error) return controller.error(error);
          controller.enqueue(chunk);
          if (final) controller.close();
        });
      },
      async pull() {
        queue ??= documentsOf(deps, user).then(({ account, tickets, files }) => ({
          entries: [
            { name: "README.txt", bytes: new TextEncoder().encode(ARCHIVE_README) },
            { name: "account.json", bytes: json(account) },
            { name: "tickets.json", bytes: json(tickets) },
          ],
          files,
        }));
        const { entries, files } = await queue;
        if (next < entries.length) {
          for (const entry of entries) add(entry);
          next = entries.length;
          return;
        }
        const file = files[next - entries.length];
        if (!file) {
          zip.end();
          return;
        }
        next++;
        const bytes = await databaseStore.get(deps.db, file.hash);
        add({ name: file.path, bytes: bytes ? new Uint8Array(bytes) : new Uint8Array(), store: true });
      },
    },
    { highWaterMark: 1 },
  );
}
