import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import type { Config } from "../config.js";

// The addresses and identifiers a ticket's mail carries, so replies find their way back to it.

const domainOf = (config: Config) => config.mail.from.address.split("@")[1]!;

/** A Message-ID of ours: random, in the desk's domain, fixed when the outbox row is written. */
export const newMessageId = (config: Config) => `<${randomBytes(12).toString("base64url")}@${domainOf(config)}>`;

/**
 * The ticket's thread root: the receipt carries it as its Message-ID and every later message
 * refers to it, so a mail client shows the whole ticket as one conversation. The creation time
 * keeps it apart from a ticket with the same number in another database.
 */
export const threadRootId = (config: Config, ticket: { id: number; createdAt: Date }) =>
  `<ticket-${ticket.id}-${ticket.createdAt.getTime().toString(36)}@${domainOf(config)}>`;

/** 10 base32 characters (50 bits) of an HMAC of the ticket number under the auth secret. */
function replyMac(config: Config, ticketId: number): string {
  const key = createHmac("sha256", config.authSecret).update("hyperdesk reply address").digest();
  const mac = createHmac("sha256", key).update(`t${ticketId}`).digest();
  let bits = "";
  for (const byte of mac.subarray(0, 7)) bits += byte.toString(2).padStart(8, "0");
  const alphabet = "abcdefghijklmnopqrstuvwxyz234567";
  let out = "";
  for (let i = 0; i < 50; i += 5) out += alphabet[Number.parseInt(bits.slice(i, i + 5), 2)];
  return out;
}

/** The Reply-To of a ticket's mail: support+t123.<mac>@desk, which only we can make. */
export function replyAddress(config: Config, ticketId: number): string {
  const [local, domain] = config.mail.from.address.split("@") as [string, string];
  return `${local}+t${ticketId}.${replyMac(config, ticketId)}@${domain}`;
}

/** The ticket a reply address names, if its MAC is ours; null for any other address. */
export function ticketOfReplyAddress(config: Config, address: string): number | null {
  const [local, domain] = config.mail.from.address.split("@") as [string, string];
  const m = address
    .trim()
    .toLowerCase()
    .match(/^([^@+]+)\+t([0-9]{1,9})\.([a-z2-7]{10})@(.+)$/);
  if (!m || m[1] !== local || m[4] !== domain) return null;
  const id = Number(m[2]);
  const expected = Buffer.from(replyMac(config, id));
  return timingSafeEqual(expected, Buffer.from(m[3]!)) ? id : null;
}
