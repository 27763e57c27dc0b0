import { ImapFlow } from "imapflow";

// A mail client for the tests: delivers messages into a Dovecot folder with IMAP APPEND, as a mail
// server would, and counts what is in a folder.

export async function mailbox(url: string) {
  const u = new URL(url);
  const client = new ImapFlow({
    host: u.hostname,
    port: Number(u.port),
    secure: false,
    auth: { user: decodeURIComponent(u.username), pass: decodeURIComponent(u.password) },
    logger: false,
  });
  await client.connect();
  return {
    append: async (folder: string, raw: string) => {
      await client.mailboxCreate(folder).catch(() => {});
      await client.append(folder, raw);
    },
    count: async (folder: string) => {
      try {
        const status = await client.status(folder, { messages: true });
        return status ? (status.messages ?? 0) : 0;
      } catch {
        return 0;
      }
    },
    close: () => client.logout(),
  };
}

let n = 0;
/** A raw email as a mail client writes it. */
export function eml(fields: {
  from: string;
  to?: string;
  subject: string;
  body: string;
  headers?: Record<string, string>;
  id?: string;
}) {
  const id = fields.id ?? `<m${++n}.${process.pid}.${Date.now()}@client.example>`;
  const extra = Object.entries(fields.headers ?? {})
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join("");
  return {
    id,
    raw: `From: ${fields.from}\r\nTo: ${fields.to ?? "support@desk.example"}\r\nSubject: ${fields.subject}\r\nMessage-ID: ${id}\r\nDate: Thu, 26 Nov 2026 10:00:00 +0000\r\nMIME-Version: 1.0\r\n${extra}Content-Type: text/plain; charset=utf-8\r\n\r\n${fields.body.replace(/\n/g, "\r\n")}\r\n`,
  };
}

/** A message with files: multipart/mixed, the text first, each file base64 as a mail client sends it. */
export function emlWithFiles(
  fields: Parameters<typeof eml>[0] & { files: { name: string; type: string; bytes: Buffer }[] },
) {
  const boundary = `b${++n}x`;
  const parts = [
    `--${boundary}\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n${fields.body.replace(/\n/g, "\r\n")}\r\n`,
    ...fields.files.map(
      (f) =>
        `--${boundary}\r\nContent-Type: ${f.type}; name="${f.name}"\r\nContent-Disposition: attachment; filename="${f.name}"\r\nContent-Transfer-Encoding: base64\r\n\r\n${f.bytes.toString("base64").replace(/.{76}/g, "$&\r\n")}\r\n`,
    ),
  ];
  const plain = eml({ ...fields, body: "" });
  const raw = plain.raw.replace(
    "Content-Type: text/plain; charset=utf-8\r\n\r\n\r\n",
    `Content-Type: multipart/mixed; boundary="${boundary}"\r\n\r\n${parts.join("")}--${boundary}--\r\n`,
  );
  return { id: plain.id, raw };
}
