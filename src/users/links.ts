import { createHash, randomBytes } from "node:crypto";
import type { Tx } from "../db/prisma.js";
import type { Deps } from "../env.js";
import { linkMessages, mailLanguage, publicBase } from "../mail/messages.js";
import { enqueue } from "../mail/outbox.js";
import type { Role } from "./authorization.js";
import { hasSecondFactor, type RequestMeta, withPasskeys } from "./sessions.js";
import { normaliseEmail } from "./sign-in.js";
import { beginAttempt, type Limit } from "./throttle.js";

// Sign-in links and password-reset links by email: a random token in the link, only its SHA-256
// in the database, single use, 15 minutes, throttled per address and per client. Asking for one
// answers the same whether or not the address has an account.

export type LinkPurpose = "signin" | "reset";
export const LINK_MINUTES = 15;
/** An admin's invitation to choose a password lasts longer: the person may read their mail next week. */
export const INVITE_DAYS = 7;
/** Who invited a person, and as what: the link is a password link that lasts INVITE_DAYS. */
export type Invite = { by: string; role: Role };
const HOUR = 3_600_000;

const hashOf = (token: string) => createHash("sha256").update(token).digest("hex");
const paths: Record<LinkPurpose, string> = { signin: "/login/link/open", reset: "/password/reset" };

/**
 * Emails a link to the account with this address, if there is one that may sign in. The time to
 * try again when the address or the client asked too often; null otherwise, whatever happened.
 */
export async function sendLink(
  deps: Deps,
  purpose: LinkPurpose,
  input: string,
  meta: RequestMeta,
  invite?: Invite,
): Promise<Date | null> {
  const { db, config } = deps;
  const now = deps.clock.now();
  const email = normaliseEmail(input);
  const limits: Limit[] = [
    { key: `link:email:${email}`, max: config.emailLinksPerHour, windowMs: HOUR },
    { key: `link:address:${meta.address}`, max: config.emailLinksPerHour * 4, windowMs: HOUR },
  ];
  const retryAt = await beginAttempt(db, limits, now);
  if (retryAt) return retryAt;
  const user = await db.user.findUnique({ where: { email } });
  if (!user || user.disabledAt) return null;
  const token = randomBytes(32).toString("base64url");
  const url = `${publicBase(config)}${paths[purpose]}?token=${token}`;
  await db.$transaction(async (tx) => {
    await tx.linkToken.create({
      data: {
        hash: hashOf(token),
        userId: user.id,
        purpose,
        expiresAt: new Date(now.getTime() + (invite ? INVITE_DAYS * 1440 : LINK_MINUTES) * 60_000),
        createdAt: now,
      },
    });
    // The person's language, else the one the link was asked for in.
    const i18n = mailLanguage(config, { language: user.language ?? meta.language });
    // Greeted by name only once the address has shown it is theirs: a name typed at registration
    // is someone's text, and the desk is no relay for it.
    const name = user.emailConfirmedAt || invite ? user.name : user.email;
    const message = invite
      ? linkMessages.invite(config, i18n, name, url, INVITE_DAYS, invite)
      : linkMessages[purpose](config, i18n, name, url, LINK_MINUTES);
    await enqueue(deps, tx, { ...message, kind: invite ? "invite_link" : `${purpose}_link`, to: user }, now);
  });
  return null;
}

/** Marks a person's address as shown to be theirs (once: the first time counts). */
export const confirmEmail = (db: Deps["db"] | Tx, userId: number, now: Date) =>
  db.user.updateMany({ where: { id: userId, emailConfirmedAt: null }, data: { emailConfirmedAt: now } });

type LinkUser = { id: number; email: string; name: string; role: Role; twoFactor: boolean };

const usable = (purpose: LinkPurpose, token: string, now: Date) => ({
  hash: hashOf(token),
  purpose,
  usedAt: null,
  expiresAt: { gt: now },
  user: { disabledAt: null },
});

/** The person a link would sign in or reset, without using it up (the page that asks to confirm). */
export async function peekLink(deps: Deps, purpose: LinkPurpose, token: string): Promise<LinkUser | null> {
  if (!/^[\w-]{43}$/.test(token)) return null;
  const row = await deps.db.linkToken.findFirst({
    where: usable(purpose, token, deps.clock.now()),
    select: {
      user: { select: { id: true, email: true, name: true, role: true, totpEnabledAt: true, ...withPasskeys } },
    },
  });
  if (!row) return null;
  const { totpEnabledAt, _count, ...user } = row.user;
  return { ...user, role: user.role as Role, twoFactor: hasSecondFactor({ totpEnabledAt, _count }) };
}

/**
 * Uses a link up: of two requests with the same link, one gets the person and the other null.
 * Every other unused link of the same kind for that person dies with it.
 */
export async function useLink(deps: Deps, purpose: LinkPurpose, token: string): Promise<LinkUser | null> {
  const user = await peekLink(deps, purpose, token);
  if (!user) return null;
  const now = deps.clock.now();
  const { count } = await deps.db.linkToken.updateMany({ where: usable(purpose, token, now), data: { usedAt: now } });
  if (!count) return null;
  await deps.db.linkToken.updateMany({ where: { userId: user.id, purpose, usedAt: null }, data: { usedAt: now } });
  // A link from our mail, followed: the address is there.
  await confirmEmail(deps.db, user.id, now);
  return user;
}
