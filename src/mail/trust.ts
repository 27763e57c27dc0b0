import type { Email } from "postal-mime";
import type { Config } from "../config.js";
import type { Deps } from "../env.js";
import { GUEST_DOMAIN } from "../guests/claims.js";
import { withoutBidiControls } from "../http/forms.js";
import { i18nFor } from "../i18n/translate.js";
import type { Role } from "../users/authorization.js";
import { confirmEmail } from "../users/links.js";
import { readReplyAddress } from "./addresses.js";

// Who an incoming message speaks for. From is a claim anyone can write; what proves an identity is
// an address only we can make (a reply address signed for one ticket and one person), or, where the
// desk's own mail server checks DMARC and says so, that server's word for the From domain.

/** Every address the message was sent to, as its envelope and headers tell it. */
export function recipientsOf(email: Email): string[] {
  const header = email.headers.find((h) => h.key === "x-original-to")?.value?.trim() ?? "";
  return [...(email.to ?? []), ...(email.cc ?? []), ...(email.deliveredTo ? [{ address: email.deliveredTo }] : [])]
    .flatMap((a) => ("group" in a && a.group ? a.group : [a]))
    .map((a) => (a as { address?: string }).address ?? "")
    .concat(header ? [header] : []);
}

/** The ticket and person of the first signed reply address the message went to, if any. */
export function signedRecipient(config: Config, email: Email) {
  for (const address of recipientsOf(email)) {
    const signed = readReplyAddress(config, address);
    if (signed) return signed;
  }
  return null;
}

/**
 * Whether the desk's own MTA (MAIL_TRUSTED_AUTHSERV_ID) says DMARC passed for the From domain.
 * Only the topmost Authentication-Results counts, and only when that MTA wrote it (RFC 8601: it
 * removes any that claim its name on the way in); one from any other host proves nothing.
 */
export function dmarcPassed(config: Config, email: Email, from: string): boolean {
  const trusted = config.mail.trustedAuthservId;
  if (!trusted) return false;
  const top = email.headers.find((h) => h.key === "authentication-results")?.value;
  if (!top) return false;
  const [serv, ...results] = top.replace(/\([^()]*\)/g, " ").split(";");
  if (serv?.trim().split(/\s+/)[0]?.toLowerCase() !== trusted) return false;
  const domain = from.split("@")[1]?.toLowerCase();
  return results.some((result) => {
    const words = result.trim().toLowerCase().split(/\s+/);
    return words[0] === "dmarc=pass" && words.includes(`header.from=${domain}`);
  });
}

/**
 * The author of mail that points at a ticket but proves nobody: an account that can neither sign
 * in nor be mailed (guest.invalid, disabled), so such a note is never put in a real person's name.
 */
export async function unverifiedAuthor(deps: Deps): Promise<{ id: number; role: "requester" }> {
  const email = `unverified-mail@${GUEST_DOMAIN}`;
  const name = i18nFor(deps.config.defaultLanguage).t("mail.unverifiedAuthor");
  const now = deps.clock.now();
  const data = { email, name, passwordHash: "", role: "requester", disabledAt: now };
  const { id } = await deps.db.user.upsert({ where: { email }, create: data, update: {}, select: { id: true } });
  return { id, role: "requester" };
}

type Sender = { id: number; role: Role };

/**
 * The account of an address the desk's MTA vouched for (so it is confirmed, `now`); an unknown
 * address becomes a requester without a password (sign-in by link).
 */
export async function senderOf(deps: Deps, email: string, name: string | undefined, now: Date): Promise<Sender | null> {
  const { db } = deps;
  const found = await db.user.findUnique({ where: { email } });
  if (found && !found.disabledAt) await confirmEmail(db, found.id, now);
  if (found) return found.disabledAt ? null : { id: found.id, role: found.role as Role };
  const display =
    withoutBidiControls(name ?? "")
      .replace(/[\r\n<>"]/g, "")
      .trim()
      .slice(0, 100) || email.split("@")[0]!.slice(0, 100);
  try {
    const created = await db.user.create({
      data: { email, name: display, passwordHash: "", role: "requester", emailConfirmedAt: now },
    });
    return { id: created.id, role: "requester" };
  } catch (error) {
    if ((error as { code?: string }).code !== "P2002") throw error;
    const raced = await db.user.findUniqueOrThrow({ where: { email } });
    return raced.disabledAt ? null : { id: raced.id, role: raced.role as Role };
  }
}
