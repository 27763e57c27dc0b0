import { randomBytes } from "node:crypto";
import { filesInWords, saveFiles, type Upload } from "../attachments/files.js";
import type { Tx } from "../db/prisma.js";
import type { Deps } from "../env.js";
import type { Actor } from "./changes.js";
import { recordChange } from "./events.js";
import { recentTwin } from "./find.js";
import type { Priority } from "./model.js";

/** The one-time token a new-ticket form carries, so sending it twice opens one ticket. */
export const newFormToken = () => randomBytes(18).toString("base64url");

/** What a caller outside the plain form adds to a new ticket. */
export type OpenExtra = {
  /** A new form (not one sent twice) with the text of a ticket opened a moment ago: make nothing, name it. */
  askIfRepeated?: boolean;
  /** Checked files (attachments/files.ts), saved with the ticket in its transaction. */
  files?: Upload[];
  /**
   * A ticket opened without an account (marked guest, with the HMAC of its access code), or in the
   * name of an address nobody has vouched for yet (guests/claims.ts).
   */
  ticket?: { guest?: true; accessCode?: string; claimedEmail?: string | null };
  /** A write of the caller's own in the ticket's transaction (the record of the email that opened it). */
  also?: (tx: Tx, ticketId: number) => Promise<void>;
};

/**
 * Opens a ticket once per form token: a second submission of the same form (double click,
 * refresh, retry) returns the first ticket instead of making another. With `askIfRepeated`, a new
 * form with the same text as a ticket opened a moment ago makes nothing and returns that `twin`.
 */
export async function openTicket(
  deps: Deps,
  requester: Actor,
  input: { subject: string; description: string; priority: Priority },
  formToken: string | undefined,
  extra: OpenExtra = {},
): Promise<{ id: number; duplicate: boolean; twin?: { id: number; createdAt: Date } }> {
  const { db } = deps;
  const earlier = async () =>
    formToken
      ? await db.formToken.findFirst({ where: { token: formToken, userId: requester.id, ticketId: { not: null } } })
      : null;
  const seen = await earlier();
  if (seen?.ticketId) return { id: seen.ticketId, duplicate: true };
  if (extra.askIfRepeated) {
    const twin = await recentTwin(deps, requester.id, input);
    if (twin) return { id: twin.id, duplicate: false, twin };
  }
  const now = deps.clock.now();
  try {
    const id = await db.$transaction(async (tx) => {
      const ticket = await tx.ticket.create({
        data: { ...input, ...extra.ticket, requesterId: requester.id, createdAt: now, updatedAt: now },
      });
      // First what came with it (its files, the record of the email that opened it), so its
      // receipt can answer that email and name the files.
      if (extra.files?.length) await saveFiles(tx, extra.files, { ticketId: ticket.id, replyId: null }, now);
      await extra.also?.(tx, ticket.id);
      const events = [{ kind: "created", toValue: input.priority }];
      const change = { ticketId: ticket.id, actorId: requester.id, events, files: filesInWords(extra.files) };
      await recordChange(deps, tx, change, now);
      if (formToken)
        await tx.formToken.create({
          data: { token: formToken, userId: requester.id, ticketId: ticket.id, createdAt: now },
        });
      return ticket.id;
    });
    return { id, duplicate: false };
  } catch (error) {
    // Two submissions raced: the unique token rolled this one back; answer with the winner.
    const winner = (error as { code?: string }).code === "P2002" ? await earlier() : null;
    if (winner?.ticketId) return { id: winner.ticketId, duplicate: true };
    throw error;
  }
}
