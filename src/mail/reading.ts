import { createHash } from "node:crypto";
import type { Email } from "postal-mime";
import type { Deps } from "../env.js";

// Reading an incoming message: its headers, its text, its files, and whether it is an automatic one.

export const first = (email: Email, name: string) => email.headers.find((h) => h.key === name)?.value?.trim() ?? "";
/** Message-IDs in a header: the last 20 (the nearest ancestors), none longer than 250 characters. */
export const ids = (value: string | undefined) =>
  ((value ?? "").match(/<[^<>\s]+>/g) ?? []).filter((id) => id.length <= 250).slice(-20);
/** A message's own id as stored: an absurdly long one (any sender can write one) by its hash. */
export const storedId = (id: string) =>
  id.length <= 250 ? id : `<sha256-${createHash("sha256").update(id).digest("hex")}@hyperdesk.invalid>`;

/** Why a message is an automatic one we must not answer or file (RFC 3834, common practice), or null. */
export function automatic(email: Email, from: string, deps: Deps): string | null {
  const auto = first(email, "auto-submitted").toLowerCase();
  if (auto && auto !== "no") return `Auto-Submitted: ${auto}`;
  const precedence = first(email, "precedence").toLowerCase();
  if (["bulk", "junk", "auto_reply", "list"].includes(precedence)) return `Precedence: ${precedence}`;
  if (first(email, "x-autoreply") || first(email, "x-autorespond")) return "an auto-reply header";
  if (email.headers.some((h) => h.key === "list-id")) return "a mailing list (List-Id)";
  const [local, domain] = deps.config.mail.from.address.split("@") as [string, string];
  if (from === deps.config.mail.from.address || (from.startsWith(`${local}+`) && from.endsWith(`@${domain}`)))
    return "sent from the desk's own address (a loop)";
  if (/^(mailer-daemon|postmaster)@/.test(from)) return "a delivery report";
  return null;
}

/** The text of a message: its plain part, or its HTML part as text when it has none. */
export function textOf(email: Email): string {
  if (email.text?.trim()) return email.text.replace(/\r\n/g, "\n");
  return (email.html ?? "")
    .replace(/<(script|style)[\s\S]*?<\/\1>/gi, "")
    .replace(/<br\s*\/?>|<\/(p|div|li|tr|h\d)>/gi, "\n")
    .replace(/<[^>]+>/g, "")
    .replace(/&nbsp;/g, " ")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&")
    .replace(/\n{3,}/g, "\n\n");
}

export const cap = (text: string, max: number) =>
  text.length > max ? `${text.slice(0, max)}\n[…cut at ${max} characters]` : text;

/** An email's attached file as the checks take it. */
export function incomingFile(a: NonNullable<Email["attachments"]>[number]) {
  const content = a.content;
  const bytes =
    typeof content === "string"
      ? Buffer.from(content, a.encoding === "base64" ? "base64" : "utf8")
      : new Uint8Array(content as ArrayBuffer);
  return { name: a.filename ?? "attachment", bytes };
}
