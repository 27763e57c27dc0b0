import { z } from "zod";
import { ConfigError, flag } from "../config-parts.js";

// The mail settings (SMTP_URL, MAIL_*, IMAP_*): their part of the environment's schema, and what
// they become. src/config.ts reads them with every other setting, in one pass.

export const mailSchema = {
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, "must start with smtp:// or smtps://, e.g. smtp://user:pass@mail.example:587")
    .optional(),
  MAIL_FROM: z.string().default("Hyperdesk <support@hyperdesk.localhost>"),
  MAIL_WORKER: flag.default(true),
  MAIL_POLL_SECONDS: z.coerce.number().min(0.05).max(3600).default(5),
  MAIL_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(8),
  MAIL_RETRY_SECONDS: z.coerce.number().min(0.01).max(86_400).default(60),
  MAIL_LEASE_SECONDS: z.coerce.number().min(1).max(3600).default(120),
  MAIL_MAX_INCOMING_KB: z.coerce.number().int().min(16).default(10_240),
  MAIL_MAX_PER_SENDER_PER_MINUTE: z.coerce.number().int().min(1).default(10),
  MAIL_TRUSTED_AUTHSERV_ID: z
    .string()
    .regex(/^[A-Za-z0-9.-]+$/, "MAIL_TRUSTED_AUTHSERV_ID is a host name, such as mx.library.example")
    .optional(),
  IMAP_URL: z
    .string()
    .regex(/^imaps?:\/\//, "must start with imap:// or imaps://, e.g. imaps://user:pass@mail.example:993")
    .optional(),
  IMAP_FOLDER: z.string().min(1).default("INBOX"),
  IMAP_DONE_FOLDER: z.string().min(1).default("Processed"),
  IMAP_FAILED_FOLDER: z.string().min(1).default("Failed"),
  IMAP_POLL_SECONDS: z.coerce.number().min(0.1).max(3600).default(60),
};

const mailObject = z.object(mailSchema);
type MailEnv = z.output<typeof mailObject>;

export type MailConfig = {
  /** No URL: messages are kept on /admin/outbox instead of sent. */
  smtpUrl?: string;
  from: { name: string; address: string };
  /** Run the outbox worker inside the app process (false when `npm run worker` runs on its own). */
  worker: boolean;
  pollMs: number;
  maxAttempts: number;
  /** The first retry's delay; each further one doubles it, with jitter. */
  retryMs: number;
  leaseMs: number;
  /** Incoming mail larger than this is not taken, and reported. */
  maxIncomingBytes: number;
  /** More from one sender in a minute is a loop or a flood, and ignored. */
  maxPerSenderPerMinute: number;
  /** The authserv-id of the desk's own MTA: its Authentication-Results saying DMARC passed make From an identity. */
  trustedAuthservId?: string;
  /** The mailbox polled for incoming mail, if any. */
  imap?: { url: string; folder: string; doneFolder: string; failedFolder: string; pollMs: number };
};

/** The mail part of the config, from its checked variables. */
export function mailConfig(e: MailEnv): MailConfig {
  return {
    smtpUrl: e.SMTP_URL,
    from: mailbox(e.MAIL_FROM),
    worker: e.MAIL_WORKER,
    pollMs: e.MAIL_POLL_SECONDS * 1000,
    maxAttempts: e.MAIL_MAX_ATTEMPTS,
    retryMs: e.MAIL_RETRY_SECONDS * 1000,
    leaseMs: e.MAIL_LEASE_SECONDS * 1000,
    maxIncomingBytes: e.MAIL_MAX_INCOMING_KB * 1024,
    maxPerSenderPerMinute: e.MAIL_MAX_PER_SENDER_PER_MINUTE,
    trustedAuthservId: e.MAIL_TRUSTED_AUTHSERV_ID?.toLowerCase(),
    imap: e.IMAP_URL
      ? {
          url: e.IMAP_URL,
          folder: e.IMAP_FOLDER,
          doneFolder: e.IMAP_DONE_FOLDER,
          failedFolder: e.IMAP_FAILED_FOLDER,
          pollMs: e.IMAP_POLL_SECONDS * 1000,
        }
      : undefined,
  };
}

/** "Name <address>" or a bare address; the name defaults to Hyperdesk. */
function mailbox(value: string): { name: string; address: string } {
  const m = value.trim().match(/^(?:"?([^"<]*?)"?\s*<([^<>\s]+@[^<>\s]+)>|([^<>\s]+@[^<>\s]+))$/);
  if (!m) throw new ConfigError(`MAIL_FROM must be an address or "Name <address>", not ${JSON.stringify(value)}.`);
  return { name: m[1]?.trim() || "Hyperdesk", address: (m[2] ?? m[3])!.toLowerCase() };
}
