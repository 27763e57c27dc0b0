import { createHash } from "node:crypto";
import EmailReplyParser from "email-reply-parser";
import PostalMime, { type Email } from "postal-mime";
import { checkEmailFiles } from "../attachments/files.js";
import type { Tx } from "../db/prisma.js";
import type { Deps } from "../env.js";
import { confirmClaim, newGuest } from "../guests/claims.js";
import { withoutBidiControls } from "../http/forms.js";
import { i18nFor } from "../i18n/translate.js";
import { openTicket } from "../tickets/open.js";
import { addNote, addReply } from "../tickets/thread.js";
import { isStaff, type Role } from "../users/authorization.js";
import { confirmEmail } from "../users/links.js";
import { normaliseEmail } from "../users/sign-in.js";
import { takeAttempt } from "../users/throttle.js";
import { automatic, cap, incomingFile, storedId, textOf } from "./reading.js";
import { landingOf, ticketById, ticketPointedAt } from "./threading.js";
import { dmarcPassed, senderOf, signedRecipient, unverifiedAuthor } from "./trust.js";

// Incoming mail, one parser behind two doors (the IMAP poller and `npm run mail:receive`). From
// is a claim: a message speaks as a person only through a reply address signed for them and one
// ticket (or, for a requester, DMARC vouched for by the desk's own MTA). Anything else that points
// at a ticket (In-Reply-To / References, a thread root, [#123]) becomes an internal note marked
// unverified, never public, never mailed on; a message that points at no ticket opens one.
// Every message is recorded by its Message-ID in the transaction of the change it makes, so a
// message taken twice (two pollers, a restart) changes nothing the second time.

export type Received =
  | { outcome: "created" | "replied" | "noted"; ticketId: number }
  /** Taken before, `recordedAt` (possibly this very moment, by another poller). */
  | { outcome: "duplicate"; ticketId: number | null; recordedAt: Date }
  | { outcome: "ignored" | "failed"; reason: string };

const SUBJECT_MAX = 200;
const TEXT_MAX = 50_000;
/** Files not attached named one by one, up to this many; the rest counted. */
const NAMED_MAX = 5;

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
  const subject = withoutBidiControls(email.subject ?? "")
    .replace(/\s+/g, " ")
    .trim();
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

  // Its files go through the checks a form's do, each on its own: what passes is attached, and
  // what does not is named in the message (a few, and how many more), so the agent knows to ask
  // for it another way.
  const { uploads: files, left } = await checkEmailFiles(deps, (email.attachments ?? []).map(incomingFile));
  // What an email puts on a ticket is said in the desk's language (the agents read it; so does
  // the requester, who may not have an account or a language of their own).
  const { t } = i18nFor(config.defaultLanguage);
  const named = left.slice(0, NAMED_MAX).join(" ");
  const more = left.length > NAMED_MAX ? ` ${t("mail.andMore", { count: left.length - NAMED_MAX })}` : "";
  const notTaken = left.length ? `\n\n${t("mail.notAttached", { why: named + more })}` : "";
  // The text with that list stays within TEXT_MAX.
  const text = cap(textOf(email), TEXT_MAX - notTaken.length);
  const visible = () => (new EmailReplyParser().parseReply(text).trim() || text.trim() || t("mail.noText")) + notTaken;
  /** The record of this message, written in the transaction of the change it makes. */
  const recordIn = (outcome: string) => async (tx: Tx, ticketId: number) => {
    await tx.inboundMessage.create({
      data: { ...base, subject: subject.slice(0, SUBJECT_MAX), outcome, ticketId, receivedAt: now },
    });
  };
  const disabled = async () => {
    const reason = "the sender's account is disabled";
    await record(deps, { ...base, outcome: "ignored", reason });
    return { outcome: "ignored", reason } as const;
  };
  try {
    // Who speaks: the person a signed reply address was made for, on its ticket alone; else the
    // From address, when the desk's MTA vouches for it (DMARC); else nobody proven.
    const signed = signedRecipient(config, email);
    let signedTicket = signed && (await ticketById(deps, signed.ticketId));
    if (signed && signedTicket) {
      let person = await personOf(deps, signed.userId);
      // Mail to an address claimed for a ticket, answered: its owner has shown they are there.
      if (person && signedTicket.claimedEmail && person.id === signedTicket.requesterId) {
        const claim = { ...signedTicket, subject, claimedEmail: signedTicket.claimedEmail };
        const joined = await confirmClaim(deps, claim);
        if (joined.ok) {
          person = await personOf(deps, joined.accountId);
          signedTicket = (await ticketById(deps, signedTicket.id))!;
        }
      }
      if (!person || person.disabledAt) return await disabled();
      // An answer through an address only that person was sent: theirs is there.
      await confirmEmail(db, person.id, now);
      const speaker = { id: person.id, role: person.role as Role };
      // Who may speak is decided on the ticket the address was made for; a merged one's mail lands on the survivor.
      const { target, ...merged } = await landingOf(deps, signedTicket);
      const also = { emailText: text, files, ...merged };
      if (signedTicket.requesterId === speaker.id || isStaff(speaker)) {
        await addReply(deps, speaker, target, visible(), { ...also, also: recordIn("replied") });
        return { outcome: "replied", ticketId: target.id };
      }
      const body = `${t("mail.notRequester", { from })}\n\n${visible()}`;
      await addNote(deps, speaker, target, body, { ...also, also: recordIn("noted") });
      return { outcome: "noted", ticketId: target.id };
    }
    const pointed = await ticketPointedAt(deps, email, subject);
    const vouched = dmarcPassed(config, email, from);
    if (pointed) {
      const { target: ticket, ...merged } = await landingOf(deps, pointed);
      // A requester the desk's MTA vouches for answers their own ticket; staff act by mail only
      // through a signed address; anyone else's mail that points at a ticket is an internal note.
      const known = vouched ? await db.user.findUnique({ where: { email: from } }) : null;
      if (known && !known.disabledAt && known.id === pointed.requesterId && !isStaff({ role: known.role as Role })) {
        const requester = { id: known.id, role: known.role as Role };
        await confirmEmail(db, known.id, now);
        await addReply(deps, requester, ticket, visible(), {
          emailText: text,
          also: recordIn("replied"),
          files,
          ...merged,
        });
        return { outcome: "replied", ticketId: ticket.id };
      }
      const author = await unverifiedAuthor(deps);
      const body = `${t("mail.unverifiedSender", { from })}\n\n${visible()}`;
      await addNote(deps, author, ticket, body, { emailText: text, also: recordIn("noted"), files, ...merged });
      return { outcome: "noted", ticketId: ticket.id };
    }
    // Vouched for, the sender's own ticket; else a guest's, in the name of the address it claims.
    const sender = vouched
      ? await senderOf(deps, from, email.from?.name, now)
      : (await db.user.findFirst({ where: { email: from, disabledAt: { not: null } } }))
        ? null
        : await newGuest(db, now, email.from?.name || from.split("@")[0]);
    if (!sender) return await disabled();
    // Without reply prefixes, and without a "[#n]" of no ticket here (another desk's number would
    // read as this desk's ticket n).
    const title =
      subject
        .replace(/\s*\[#\d{1,9}\]\s*/g, " ")
        .trim()
        .replace(/^((re|fwd?|aw|wg|sv|antw)\s*:\s*)+/i, "")
        .slice(0, SUBJECT_MAX) || "(no subject)";
    const { id } = await openTicket(
      deps,
      sender,
      { subject: title, description: (text.trim() || t("mail.noText")) + notTaken, priority: "Medium" },
      undefined,
      { also: recordIn("created"), files, ...(vouched ? {} : { ticket: { claimedEmail: from } }) },
    );
    return { outcome: "created", ticketId: id };
  } catch (error) {
    // The same message taken by another poller at the same moment: its change won.
    if ((error as { code?: string }).code === "P2002") {
      const row = await db.inboundMessage.findUnique({ where: { messageId } });
      if (row) return { outcome: "duplicate", ticketId: row.ticketId, recordedAt: row.receivedAt };
    }
    throw error;
  }
}

/** The account a signed address was made for: a guest merged into an account speaks as that account. */
async function personOf(deps: Deps, id: number) {
  const select = { id: true, role: true, disabledAt: true, mergedIntoId: true } as const;
  const person = await deps.db.user.findUnique({ where: { id }, select });
  return person?.mergedIntoId ? deps.db.user.findUnique({ where: { id: person.mergedIntoId }, select }) : person;
}
