import type { Transporter } from "nodemailer";
import type { Config } from "../config.js";
import type { OutboxMessageModel as OutboxMessage } from "../db/prisma.js";
import { headersOf } from "./outbox.js";

// Sending one outbox row over SMTP with nodemailer, and telling a failure to retry from a final one.

/** Sends one message; resolves to the server's answer where there is one ("250 2.0.0 Ok: queued as ..."). */
export type Send = (row: OutboxMessage) => Promise<unknown>;

export function smtpSender(config: Config): Send | null {
  if (!config.mail.smtpUrl) return null;
  const url = new URL(config.mail.smtpUrl);
  const secure = url.protocol === "smtps:";
  // nodemailer is loaded with the first message (about 6 MB of memory a desk without SMTP never needs).
  let transporter: Promise<Transporter> | undefined;
  const transport = () =>
    (transporter ??= import("nodemailer").then(({ default: nodemailer }) =>
      nodemailer.createTransport({
        host: url.hostname,
        port: Number(url.port) || (secure ? 465 : 587),
        secure,
        ...(url.username
          ? { auth: { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } }
          : {}),
        // A server that does not offer STARTTLS is used as it is only when the URL says so.
        requireTLS: url.searchParams.get("requireTLS") === "true",
        connectionTimeout: 30_000,
        greetingTimeout: 30_000,
        socketTimeout: 60_000,
      }),
    ));
  const { address, name } = config.mail.from;
  return async (row) => {
    const h = headersOf(row);
    const info = await (await transport()).sendMail({
      from: { name: h.fromName ?? name, address },
      to: row.toAddress,
      subject: row.subject,
      text: row.text,
      html: row.html,
      messageId: row.messageId,
      ...(h.inReplyTo ? { inReplyTo: h.inReplyTo } : {}),
      ...(h.references ? { references: h.references } : {}),
      ...(h.replyTo ? { replyTo: h.replyTo } : {}),
      headers: {
        // RFC 3834: machines must not answer this (vacation replies, other desks), and
        // Exchange's out-of-office is told the same in its own words.
        "Auto-Submitted": "auto-generated",
        "X-Auto-Response-Suppress": "All",
      },
    });
    return String(info.response ?? "");
  };
}

/** Where SMTP_URL sends, for an admin's eyes: host, port, user and TLS, never the password. */
export function smtpSummary(config: Config) {
  if (!config.mail.smtpUrl) return null;
  const url = new URL(config.mail.smtpUrl);
  const secure = url.protocol === "smtps:";
  return {
    host: url.hostname,
    port: Number(url.port) || (secure ? 465 : 587),
    user: url.username ? decodeURIComponent(url.username) : null,
    tls: secure ? "smtps" : url.searchParams.get("requireTLS") === "true" ? "starttls-required" : "starttls-if-offered",
  };
}

/**
 * A failure is final when the server refused for good (a 5xx answer) or the message itself cannot
 * be sent (no valid recipient); connection errors, timeouts and 4xx answers are tried again.
 */
export function describeFailure(error: unknown): { message: string; permanent: boolean } {
  const e = error as { responseCode?: number; response?: string; code?: string; message?: string };
  const code = e.responseCode;
  const permanent = (code !== undefined && code >= 500 && code < 600) || (code === undefined && e.code === "EENVELOPE");
  // The server's own answer when there is one ("550 5.1.1 No such mailbox"), else what failed.
  const message = (e.response ?? e.message ?? String(error)).replace(/\s+/g, " ").trim();
  return { message: e.response || !e.code || message.includes(e.code) ? message : `${e.code}: ${message}`, permanent };
}
