import { createHash, randomBytes } from "node:crypto";
import type { Config } from "../config.js";
import type { Tx } from "../db/prisma.js";
import type { Deps } from "../env.js";
import { withoutBidiControls } from "../http/forms.js";
import { publicBase } from "../mail/messages.js";
import { recordChange } from "../tickets/events.js";
import { confirmEmail } from "../users/links.js";
import { normaliseEmail } from "../users/sign-in.js";
import { sign, unsign } from "./codes.js";

// A ticket opened in the name of an address that has not shown it is there: typed into the kiosk
// form, or the From of mail that nobody vouched for. Anyone can type any address, so until the
// address's owner follows the link mailed to it, the ticket is a guest's (the kiosk's access code),
// staff see the address marked unconfirmed, and mail to it holds only the desk's own words (no
// subject or text someone else wrote: the desk is no relay). Confirmed, the ticket joins the
// address's account; "not me", and the address hears no more of it.

/** Guests without an address get an account of their own that can never sign in or be mailed. */
export const GUEST_DOMAIN = "guest.invalid";
export const isGuestAddress = (email: string) => email.endsWith(`@${GUEST_DOMAIN}`);

/** A new guest account: no password, an address under guest.invalid (RFC 2606), never mailed. */
export async function newGuest(db: Tx | Deps["db"], now: Date, name = "Guest", language?: string) {
  const local = `guest-${randomBytes(9).toString("base64url").toLowerCase()}`;
  const clean =
    withoutBidiControls(name)
      .replace(/[\r\n<>"]/g, "")
      .trim()
      .slice(0, 100) || "Guest";
  return db.user.create({
    data: { email: `${local}@${GUEST_DOMAIN}`, name: clean, passwordHash: "", createdAt: now, language },
    select: { id: true },
  });
}

/** A short digest of the claimed address: the link names the address without showing it. */
const digestOf = (email: string) => createHash("sha256").update(normaliseEmail(email)).digest("base64url").slice(0, 16);

/** The link mailed to a claimed address: good while that address's claim on that ticket stands. */
export const claimUrl = (config: Config, ticketId: number, email: string) =>
  `${publicBase(config)}/claim?token=${sign(config.authSecret, "claim", `${ticketId}.${digestOf(email)}`)}`;

export type Claim = { id: number; subject: string; createdAt: Date; claimedEmail: string; requesterId: number };

/** The ticket and claimed address of a link, if its claim still stands. */
export async function readClaim(deps: Deps, token: string | undefined): Promise<Claim | null> {
  if (!token || token.length > 200) return null;
  const value = unsign(deps.config.authSecret, "claim", token);
  const m = value?.match(/^(\d{1,9})\.([A-Za-z0-9_-]{16})$/);
  if (!m) return null;
  const ticket = await deps.db.ticket.findUnique({
    where: { id: Number(m[1]) },
    select: { id: true, subject: true, createdAt: true, claimedEmail: true, requesterId: true },
  });
  if (!ticket?.claimedEmail || digestOf(ticket.claimedEmail) !== m[2]) return null;
  return { ...ticket, claimedEmail: ticket.claimedEmail };
}

export type ClaimAnswer = { ok: true; accountId: number } | { ok: false; why: "gone" | "disabled" };

/**
 * The address's owner says the ticket is theirs: it joins their account, with what the guest wrote
 * on it. An address without an account makes the ticket's guest account its account (no password:
 * sign-in by link); one with an account takes the ticket over, and the guest account is marked
 * merged into it (mail signed for the guest then speaks as the account). In one transaction, and
 * only while the claim stands: a second click finds it done.
 */
export async function confirmClaim(deps: Deps, claim: Claim): Promise<ClaimAnswer> {
  const now = deps.clock.now();
  const email = claim.claimedEmail;
  const join = () =>
    deps.db.$transaction(async (tx): Promise<ClaimAnswer> => {
      const { count } = await tx.ticket.updateMany({
        where: { id: claim.id, claimedEmail: email, requesterId: claim.requesterId },
        data: { claimedEmail: null, version: { increment: 1 }, updatedAt: now },
      });
      if (!count) return { ok: false, why: "gone" };
      const found = await tx.user.findUnique({ where: { email }, select: { id: true, disabledAt: true } });
      if (found?.disabledAt) throw new Disabled();
      const guest = claim.requesterId;
      let accountId = guest;
      if (found) {
        accountId = found.id;
        const mine = { ticketId: claim.id, authorId: guest };
        await tx.ticket.update({ where: { id: claim.id }, data: { requesterId: accountId } });
        await tx.reply.updateMany({ where: mine, data: { authorId: accountId } });
        await tx.ticketEvent.updateMany({
          where: { ticketId: claim.id, actorId: guest },
          data: { actorId: accountId },
        });
        await tx.user.update({ where: { id: guest }, data: { mergedIntoId: accountId } });
      } else {
        // The name a mail's From gave stays; a kiosk's "Guest" becomes the address's first part.
        const { name } = await tx.user.findUniqueOrThrow({ where: { id: guest }, select: { name: true } });
        const named = name === "Guest" ? email.split("@")[0]!.slice(0, 100) : name;
        await tx.user.update({ where: { id: guest }, data: { email, name: named } });
      }
      await confirmEmail(tx, accountId, now);
      const events = [{ kind: "claim", toValue: "confirmed" }];
      await recordChange(deps, tx, { ticketId: claim.id, actorId: accountId, events }, now);
      return { ok: true, accountId };
    });
  try {
    return await join();
  } catch (error) {
    if (error instanceof Disabled) return { ok: false, why: "disabled" };
    // The address's account was made by someone else at this very moment: join that one.
    if ((error as { code?: string }).code === "P2002") return join();
    throw error;
  }
}

class Disabled extends Error {}

/** The address's owner says it was not them: the claim ends, and the address is not written to about it again. */
export async function declineClaim(deps: Deps, claim: Claim): Promise<boolean> {
  const now = deps.clock.now();
  return deps.db.$transaction(async (tx) => {
    const { count } = await tx.ticket.updateMany({
      where: { id: claim.id, claimedEmail: claim.claimedEmail },
      data: { claimedEmail: null, version: { increment: 1 }, updatedAt: now },
    });
    if (!count) return false;
    const events = [{ kind: "claim", toValue: "declined" }];
    await recordChange(deps, tx, { ticketId: claim.id, actorId: claim.requesterId, events }, now);
    return true;
  });
}
