import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import type { Config } from "../config.js";

// The addresses and identifiers a ticket's mail carries, so replies find their way back to it and
// speak as the person the message went to: an address only we can make, for one ticket and one person.

const domainOf = (config: Config) => config.mail.from.address.split("@")[1]!;

/** A Message-ID of ours: random, in the desk's domain, fixed when the outbox row is written. */
export const newMessageId = (config: Config) => `<${randomBytes(12).toString("base64url")}@${domainOf(config)}>`;

const BASE32 = "abcdefghijklmnopqrstuvwxyz234567";

/** `chars` base32 characters (5 bits each) of an HMAC of `what` under the auth secret, for `purpose`. */
function mac(config: Config, purpose: string, what: string, chars: number): string {
  const key = createHmac("sha256", config.authSecret).update(purpose).digest();
  const digest = createHmac("sha256", key).update(what).digest();
  let bits = "";
  for (const byte of digest.subarray(0, Math.ceil((chars * 5) / 8))) bits += byte.toString(2).padStart(8, "0");
  let out = "";
  for (let i = 0; i < chars * 5; i += 5) out += BASE32[Number.parseInt(bits.slice(i, i + 5), 2)];
  return out;
}

const macMatches = (expected: string, given: string) =>
  expected.length === given.length && timingSafeEqual(Buffer.from(expected), Buffer.from(given));

/**
 * The ticket's thread root: the receipt carries it as its Message-ID and every later message
 * refers to it, so a mail client shows the whole ticket as one conversation. The creation time
 * keeps it apart from a ticket with the same number in another database; the MAC makes it one
 * nobody else can write (a reply that cites it still proves nobody's identity: see incoming.ts).
 */
export const threadRootId = (config: Config, ticket: { id: number; createdAt: Date }) => {
  const stamp = `${ticket.id}-${ticket.createdAt.getTime().toString(36)}`;
  return `<ticket-${stamp}.${mac(config, "hyperdesk thread root", stamp, 8)}@${domainOf(config)}>`;
};

/**
 * The ticket a thread root of ours names and the creation time it was made with (base 36), if its
 * MAC is ours; checked before anything is looked up, so made-up roots cost nothing.
 */
export function threadRootOf(config: Config, id: string): { ticketId: number; created: string } | null {
  const m = id.match(/^<ticket-(\d{1,9})-([0-9a-z]{1,12})\.([a-z2-7]{8})@(.+)>$/);
  if (!m || m[4] !== domainOf(config)) return null;
  const ticketId = Number(m[1]);
  const ours = macMatches(mac(config, "hyperdesk thread root", `${ticketId}-${m[2]}`, 8), m[3]!);
  return ours ? { ticketId, created: m[2]! } : null;
}

/** 16 base32 characters (80 bits): guessing one is out of reach at any rate mail can arrive. */
const REPLY_MAC_CHARS = 16;

/**
 * The Reply-To of a ticket's mail to one person: support+t123.u45.<mac>@desk. A message to it
 * speaks as that person on that ticket, and only there.
 */
export function replyAddress(config: Config, ticketId: number, userId: number): string {
  const [local, domain] = config.mail.from.address.split("@") as [string, string];
  const what = `t${ticketId}.u${userId}`;
  return `${local}+${what}.${mac(config, "hyperdesk reply address", what, REPLY_MAC_CHARS)}@${domain}`;
}

/** The ticket and person a reply address names, if its MAC is ours; null for any other address. */
export function readReplyAddress(config: Config, address: string): { ticketId: number; userId: number } | null {
  const [local, domain] = config.mail.from.address.split("@") as [string, string];
  const m = address
    .trim()
    .toLowerCase()
    .match(/^([^@+]+)\+t([0-9]{1,9})\.u([0-9]{1,9})\.([a-z2-7]+)@(.+)$/);
  if (!m || m[1] !== local || m[5] !== domain) return null;
  const what = `t${Number(m[2])}.u${Number(m[3])}`;
  if (!macMatches(mac(config, "hyperdesk reply address", what, REPLY_MAC_CHARS), m[4]!)) return null;
  return { ticketId: Number(m[2]), userId: Number(m[3]) };
}
