import { dropUnusedContent } from "../attachments/store.js";
import type { Deps } from "../env.js";
import { type AdminOutcome, unlessLastAdmin } from "./admins.js";

// Erasing a person (the right to erasure, GDPR art. 17), by an admin: their account goes (no
// address, password, sessions, sign-in methods, settings, drafts or views of theirs remain) but
// the row stays, named "Erased person #<id>", so the desk's tickets keep a requester and their
// history an author. The text of their messages and their files go too unless the admin keeps
// them; mail waiting for them is dropped. The search index follows the text (its triggers), and
// the old address is in no table afterwards. One transaction: all of it, or none.

export const erasedName = (id: number) => `Erased person #${id}`;
export const erasedEmail = (id: number) => `erased-${id}@erased.invalid`;
/** What an erased message says instead of its text. */
export const ERASED_TEXT = "[removed: its author was erased]";

export type ErasureChoice = { keepText: boolean; keepFiles: boolean };
export type Erasure = { outcome: AdminOutcome | "erased already"; dropped?: number };

export async function erasePerson(
  deps: Deps,
  actorId: number,
  personId: number,
  choice: ErasureChoice,
): Promise<Erasure> {
  if (actorId === personId) return { outcome: "self" };
  const now = deps.clock.now();
  let dropped = 0;
  let already = false;
  const outcome = await unlessLastAdmin(deps, personId, false, async (tx) => {
    const person = await tx.user.findUniqueOrThrow({ where: { id: personId } });
    if (person.erasedAt) {
      already = true;
      return;
    }
    const mine = { userId: personId };
    // Mail not yet sent to them goes (and what was sent keeps no copy of their address or words).
    dropped = (
      await tx.outboxMessage.deleteMany({
        where: { OR: [{ toUserId: personId }, { toAddress: person.email }], status: { not: "sent" } },
      })
    ).count;
    await tx.outboxMessage.deleteMany({ where: { OR: [{ toUserId: personId }, { toAddress: person.email }] } });
    await tx.inboundMessage.updateMany({
      where: { fromAddress: person.email },
      data: { fromAddress: erasedEmail(personId) },
    });
    for (const table of [
      tx.session,
      tx.passkey,
      tx.recoveryCode,
      tx.pendingSignIn,
      tx.ssoIdentity,
      tx.ssoLink,
      tx.mailSetting,
      tx.draft,
      tx.formToken,
      tx.linkToken,
    ] as const)
      await (table as typeof tx.session).deleteMany({ where: mine });
    await tx.savedView.deleteMany({ where: { ownerId: personId } });
    await tx.cannedReply.deleteMany({ where: { ownerId: personId } });
    await tx.ticket.updateMany({ where: { requesterId: personId }, data: { claimedEmail: null } });
    if (!choice.keepFiles) {
      const files = await tx.attachment.findMany({
        where: { OR: [{ ticket: { requesterId: personId }, replyId: null }, { reply: { authorId: personId } }] },
        select: { id: true, contentHash: true },
      });
      await tx.attachment.deleteMany({ where: { id: { in: files.map((f) => f.id) } } });
      await dropUnusedContent(
        tx,
        files.map((f) => f.contentHash),
      );
    }
    if (!choice.keepText) {
      await tx.ticket.updateMany({ where: { requesterId: personId }, data: { description: ERASED_TEXT } });
      await tx.reply.updateMany({ where: { authorId: personId }, data: { body: ERASED_TEXT, emailText: null } });
      await tx.surveyAnswer.updateMany({ where: { ticket: { requesterId: personId } }, data: { comment: null } });
    }
    await tx.user.update({
      where: { id: personId },
      data: {
        name: erasedName(personId),
        email: erasedEmail(personId),
        passwordHash: "",
        role: "requester",
        startView: null,
        language: null,
        disabledAt: now,
        emailConfirmedAt: null,
        mergedIntoId: null,
        totpSecret: null,
        totpPendingSecret: null,
        totpEnabledAt: null,
        totpLastStep: null,
        erasedAt: now,
      },
    });
    await tx.personEvent.create({ data: { userId: personId, actorId, kind: "erased", createdAt: now } });
  });
  return { outcome: already ? "erased already" : outcome, dropped };
}
