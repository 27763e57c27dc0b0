import { createHash } from "node:crypto";
import EmailReplyParser from "email-reply-parser";
import PostalMime, { type Email } from "postal-mime";
import type { Tx } from "../db/prisma.js";
import type { Deps } from "../env.js";
import { isStaff, type Role } from "../lib/authorization.js";
import { normaliseEmail } from "../lib/auth/session.js";
import { takeAttempt } from "../lib/auth/throttle.js";
import { checkEmailFiles } from "../attachments/files.js";
import { openTicket } from "../tickets/open.js";
import { addNote, addReply } from "../tickets/thread.js";
import { ticketOfReplyAddress } from "./addresses.js";
import { i18nFor } from "../i18n/translate.js";

// Incoming mail, one parser behind two doors (the IMAP poller and `npm run mail:receive`):
// a reply finds its ticket by the signed reply address, then by In-Reply-To / References, then
// by [#123] in the subject when the sender may write to that ticket; anything else opens a ticket.
// Every message is recorded by its Message-ID in the transaction of the change it makes, so a
// message taken twice (two pollers, a restart) changes nothing the second time.

export type Received =
  | { outcome: "created" | "replied" | "noted"; ticketId: number }
  /** Taken before, `recordedAt` (possibly this very moment, by another poller). */
  | { outcome: "duplicate"; ticketId: number | null; recordedAt: Date }
  | { outcome: "ignored" | "failed"; reason: string };

const SUBJECT_MAX = 200;
const TEXT_MAX = 50_000;

const first = (email: Email, name: string) => email.headers.find((h) => h.key === name)?.value?.trim() ?? "";
/** Message-IDs in a header: the last 20 (the nearest ancestors), none longer than 250 characters. */
const ids = (value: string | undefined) =>
  ((value ?? "").match(/<[^<>\s]+>/g) ?? []).filter((id) => id.length <= 250).slice(-20);
/** A message's own id as stored: an absurdly long one (any sender can write one) by its hash. */
const storedId = (id: string) =>
  id.length <= 250 ? id : `<sha256-${createHash("sha256").update(id).digest("hex")}@hyperdesk.invalid>`;

/** Why a message is an automatic one we must not answer or file (RFC 3834, common practice), or null. */
function automatic(email: Email, from: string, deps: Deps): string | null {
  const auto = first(email, "auto-submitted").toLowerCase();
  if (auto && auto !== "no") return `Auto-Submitted: ${auto}`;
  const precedence = first(email, "precedence").toLowerCase();
  if (["bulk", "junk", "auto_reply", "list"].includes(precedence)) return `Precedence: ${precedence}`;
  if (first(email, "x-autoreply") || first(email, "x-autorespond")) return "an auto-reply header";
  if (email.headers.some((h) => h.key === "list-id")) return "a mailing list (List-Id)";
  const [local, domain] = deps.config.mail.from.address.split("@") as [string, string];
  if (from === deps.config.mail.from.address || (from.startsWith(`${local}+`) && from.endsWith(`@${domain}`)))
    return "sent from the desk's own address (a loop)";
  if (/^(mailer-daemon|postmaster)@/.test(from)) return "a delivery report";
  return null;
}

/** The text of a message: its plain part, or its HTML part as text when it has none. */
function textOf(email: Email): string {
  if (email.text?.trim()) return email.text.replace(/\r\n/g, "\n");
  return (email.html ?? "")
    .replace(/<(script|style)[\s\S]*?<\/\1>/gi, "")
    .replace(/<br\s*\/?>|<\/(p|div|li|tr|h\d)>/gi, "\n")
    .replace(/<[^>]+>/g, "")
    .replace(/&nbsp;/g, " ")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&")
    .replace(/\n{3,}/g, "\n\n");
}

const cap = (text: string, max: number) =>
  text.length > max ? `${text.slice(0, max)}\n[…cut at ${max} characters]` : text;

/** Records what became of a message that made no change (ignored, failed): once per Message-ID. */
async function record(
  deps: Deps,
  row: { messageId: string; fromAddress: string; subject: string; outcome: "ignored" | "failed"; reason: string },
) {
  await deps.db.inboundMessage.upsert({
    where: { messageId: row.messageId },
    create: { ...row, subject: row.subject.slice(0, SUBJECT_MAX), receivedAt: deps.clock.now() },
    update: {},
  });
}

/**
 * Reads one raw message and does what it asks, or says why not; never throws for a bad message.
 * `size` is the message's whole size when only its head was read (a message over the limit).
 */
export async function receiveMail(deps: Deps, raw: Buffer | string, size?: number): Promise<Received> {
  const { config, db } = deps;
  const bytes = Buffer.isBuffer(raw) ? raw : Buffer.from(raw);
  const fallbackId = `<sha256-${createHash("sha256").update(bytes).digest("hex")}@hyperdesk.invalid>`;
  const total = Math.max(size ?? 0, bytes.length);
  if (total > config.mail.maxIncomingBytes) {
    const reason = `too large: ${Math.ceil(total / 1024)} KB, the limit is ${config.mail.maxIncomingBytes / 1024} KB (MAIL_MAX_INCOMING_KB)`;
    const head = bytes.subarray(0, 64 * 1024).toString("utf8");
    const header = (name: string) => head.match(new RegExp(`^${name}:\\s*(.*)$`, "im"))?.[1]?.trim() ?? "";
    const found = header("Message-ID").match(/<[^<>\s]+>/)?.[0];
    const messageId = found ? storedId(found) : fallbackId;
    await record(deps, {
      messageId,
      fromAddress: header("From").slice(0, 254),
      subject: header("Subject"),
      outcome: "failed",
      reason,
    });
    return { outcome: "failed", reason };
  }
  let email: Email;
  try {
    email = await PostalMime.parse(bytes);
  } catch (error) {
    const reason = `unreadable: ${(error as Error).message}`.slice(0, 500);
    await record(deps, { messageId: fallbackId, fromAddress: "", subject: "", outcome: "failed", reason });
    return { outcome: "failed", reason };
  }
  const own = (email.messageId ?? "").match(/<[^<>\s]+>/)?.[0];
  const messageId = own ? storedId(own) : fallbackId;
  const from = normaliseEmail(email.from?.address ?? "");
  const subject = (email.subject ?? "").replace(/\s+/g, " ").trim();
  const base = { messageId, fromAddress: from.slice(0, 254), subject };
  const earlier = await db.inboundMessage.findUnique({ where: { messageId } });
  if (earlier) return { outcome: "duplicate", ticketId: earlier.ticketId, recordedAt: earlier.receivedAt };
  if (!/^[^@\s]+@[^@\s]+$/.test(from)) {
    const reason = "no sender address (From)";
    await record(deps, { ...base, outcome: "failed", reason });
    return { outcome: "failed", reason };
  }
  const auto = automatic(email, from, deps);
  if (auto) {
    await record(deps, { ...base, outcome: "ignored", reason: `automatic mail: ${auto}` });
    return { outcome: "ignored", reason: auto };
  }
  const now = deps.clock.now();
  const flood = await takeAttempt(
    db,
    [{ key: `mail:from:${from}`, max: config.mail.maxPerSenderPerMinute, windowMs: 60_000 }],
    now,
  );
  if (flood) {
    const reason = `more than ${config.mail.maxPerSenderPerMinute} messages a minute from ${from} (a loop?)`;
    await record(deps, { ...base, outcome: "ignored", reason });
    return { outcome: "ignored", reason };
  }

  const sender = await senderOf(deps, from, email.from?.name);
  if (!sender) {
    const reason = "the sender's account is disabled";
    await record(deps, { ...base, outcome: "ignored", reason });
    return { outcome: "ignored", reason };
  }
  const text = cap(textOf(email), TEXT_MAX);
  // Its files go through the checks a form's do, each on its own: what passes is attached, and
  // what does not is named in the message, so the agent knows to ask for it another way.
  const { uploads: files, left } = await checkEmailFiles(deps, (email.attachments ?? []).map(incomingFile));
  // What an email puts on a ticket is said in the desk's language (the agents read it; so does
  // the requester, who may not have an account or a language of their own).
  const { t } = i18nFor(config.defaultLanguage);
  const notTaken = left.length ? `\n\n${t("mail.notAttached", { why: left.join(" ") })}` : "";
  const ticket = await matchTicket(deps, email, sender, subject);
  /** The record of this message, written in the transaction of the change it makes. */
  const recordIn = (outcome: string) => async (tx: Tx, ticketId: number) => {
    await tx.inboundMessage.create({
      data: { ...base, subject: subject.slice(0, SUBJECT_MAX), outcome, ticketId, receivedAt: now },
    });
  };
  try {
    if (!ticket) {
      const title = subject.replace(/^((re|fwd?|aw|wg|sv|antw)\s*:\s*)+/i, "").slice(0, SUBJECT_MAX) || "(no subject)";
      const { id } = await openTicket(
        deps,
        sender,
        { subject: title, description: (text.trim() || t("mail.noText")) + notTaken, priority: "Medium" },
        undefined,
        { also: recordIn("created"), files },
      );
      return { outcome: "created", ticketId: id };
    }
    const mayReply = ticket.requesterId === sender.id || isStaff(sender);
    const outcome = mayReply ? "replied" : "noted";
    const visible = (new EmailReplyParser().parseReply(text).trim() || text.trim() || t("mail.noText")) + notTaken;
    const also = recordIn(outcome);
    if (mayReply) await addReply(deps, sender, ticket, visible, { emailText: text, also, files });
    else
      await addNote(deps, sender, ticket, `${t("mail.notRequester", { from })}\n\n${visible}`, {
        emailText: text,
        also,
        files,
      });
    return { outcome, ticketId: ticket.id };
  } catch (error) {
    // The same message taken by another poller at the same moment: its change won.
    if ((error as { code?: string }).code === "P2002") {
      const row = await db.inboundMessage.findUnique({ where: { messageId } });
      if (row) return { outcome: "duplicate", ticketId: row.ticketId, recordedAt: row.receivedAt };
    }
    throw error;
  }
}

/** An email's attached file as the checks take it. */
function incomingFile(a: NonNullable<Email["attachments"]>[number]) {
  const content = a.content;
  const bytes =
    typeof content === "string"
      ? Buffer.from(content, a.encoding === "base64" ? "base64" : "utf8")
      : new Uint8Array(content as ArrayBuffer);
  return { name: a.filename ?? "attachment", bytes };
}

type Sender = { id: number; role: Role };

/** The account of an address; an unknown address becomes a requester without a password (sign-in by link). */
async function senderOf(deps: Deps, email: string, name: string | undefined): Promise<Sender | null> {
  const { db } = deps;
  const found = await db.user.findUnique({ where: { email } });
  if (found) return found.disabledAt ? null : { id: found.id, role: found.role as Role };
  const display =
    (name ?? "")
      .replace(/[\r\n<>"]/g, "")
      .trim()
      .slice(0, 100) || email.split("@")[0]!.slice(0, 100);
  try {
    const created = await db.user.create({ data: { email, name: display, passwordHash: "", role: "requester" } });
    return { id: created.id, role: "requester" };
  } catch (error) {
    if ((error as { code?: string }).code !== "P2002") throw error;
    const raced = await db.user.findUniqueOrThrow({ where: { email } });
    return raced.disabledAt ? null : { id: raced.id, role: raced.role as Role };
  }
}

/** The ticket a message answers, by the signed reply address, threading headers, then [#123]. */
async function matchTicket(deps: Deps, email: Email, sender: Sender, subject: string) {
  const { db, config } = deps;
  const select = { id: true, status: true, priority: true, assigneeId: true, requesterId: true } as const;
  const byId = (id: number | null | undefined) => (id ? db.ticket.findUnique({ where: { id }, select }) : null);
  const recipients = [
    ...(email.to ?? []),
    ...(email.cc ?? []),
    ...(email.deliveredTo ? [{ address: email.deliveredTo }] : []),
  ]
    .flatMap((a) => ("group" in a && a.group ? a.group : [a]))
    .map((a) => (a as { address?: string }).address ?? "");
  for (const address of [...recipients, first(email, "x-original-to")]) {
    const ticket = await byId(ticketOfReplyAddress(config, address));
    if (ticket) return ticket;
  }
  const refs = [...ids(email.inReplyTo), ...ids(first(email, "references"))];
  if (refs.length) {
    const sent = await db.outboxMessage.findFirst({ where: { messageId: { in: refs }, ticketId: { not: null } } });
    const taken =
      sent ?? (await db.inboundMessage.findFirst({ where: { messageId: { in: refs }, ticketId: { not: null } } }));
    const ticket = await byId(taken?.ticketId);
    if (ticket) return ticket;
    // The thread root of a ticket whose receipt was never sent (turned off): <ticket-12-...@domain>.
    const domain = config.mail.from.address.split("@")[1]!;
    for (const ref of refs) {
      const m = ref.match(/^<ticket-(\d{1,9})-([0-9a-z]+)@(.+)>$/);
      if (!m || m[3] !== domain) continue;
      const root = await db.ticket.findUnique({ where: { id: Number(m[1]) }, select: { ...select, createdAt: true } });
      if (root && root.createdAt.getTime().toString(36) === m[2]) return root;
    }
  }
  const tag = subject.match(/\[#(\d{1,9})\]/);
  if (tag) {
    const ticket = await byId(Number(tag[1]));
    // Only its requester or staff may add to a ticket by its number: anyone can type [#12].
    if (ticket && (ticket.requesterId === sender.id || isStaff(sender))) return ticket;
  }
  return null;
}
