import { createHash } from "node:crypto";
import type { Tx } from "../db/prisma.js";
import type { Deps } from "../env.js";
import { type I18n, i18nFor } from "../i18n/translate.js";
import { cleanName, formatSize } from "./names.js";
import { databaseStore } from "./store.js";
import { KIND_NAMES, KINDS, type Kind, sniff, typeName } from "./types.js";

// Files on tickets: checked (count, size, type by content), then saved in the transaction of the
// ticket or reply they come with, bytes once per distinct content.

/** A file that passed every check, ready to save. */
export type Upload = { name: string; type: string; size: number; hash: string; bytes: Uint8Array };
export type AttachmentLimits = Deps["config"]["attachments"];
/** A file as it arrived: from a form (a File) or an email (name and bytes). */
export type Incoming = { name: string; bytes: Uint8Array };

const SETTING = "attachment_kinds";

/** The kinds of file this desk takes (/admin/attachments); every kind until an admin says otherwise. */
export async function allowedKinds(deps: Deps): Promise<Kind[]> {
  const row = await deps.db.setting.findUnique({ where: { key: SETTING } });
  const kinds = row ? KIND_NAMES.filter((k) => (JSON.parse(row.value) as string[]).includes(k)) : [...KIND_NAMES];
  shown.set(deps.db, { kinds, at: deps.clock.now().getTime() });
  return kinds;
}

export async function saveAllowedKinds(deps: Deps, kinds: Kind[]): Promise<void> {
  const value = JSON.stringify(KIND_NAMES.filter((k) => kinds.includes(k)));
  await deps.db.setting.upsert({ where: { key: SETTING }, create: { key: SETTING, value }, update: { value } });
  shown.set(deps.db, { kinds: KIND_NAMES.filter((k) => kinds.includes(k)), at: deps.clock.now().getTime() });
}

/** What the forms' hints say is taken, per database: read again in the background when older than this. */
const HINT_FRESH_MS = 10_000;
const shown = new WeakMap<object, { kinds: Kind[]; at: number; loading?: boolean }>();

/**
 * The kinds a file field's hint names, at no cost to the page: the last ones read in this process,
 * refreshed in the background every few seconds (another instance's change shows within that).
 * The check of a sent file always reads the setting itself, so a hint a moment old never lets a
 * refused type in.
 */
export function kindsForHint(deps: Deps): Kind[] {
  const seen = shown.get(deps.db);
  if (!seen || (deps.clock.now().getTime() - seen.at > HINT_FRESH_MS && !seen.loading)) {
    if (seen) seen.loading = true;
    allowedKinds(deps).catch(() => {
      if (seen) seen.loading = false;
    });
  }
  return seen?.kinds ?? [...KIND_NAMES];
}

/** "images, PDF documents or plain text": what a person may attach, in words. */
export function allowedInWords(i18n: I18n, kinds: Kind[]): string {
  if (!kinds.length) return i18n.t("files.nothing");
  return i18n.or(kinds.map((k) => i18n.t(KINDS[k].words)));
}

/**
 * One file checked on its own: its upload, or why it is refused (a sentence that names it, in the
 * language of whoever reads it: `i18n`).
 */
async function checkOne(deps: Deps, i18n: I18n, file: Incoming, allowed: Kind[]): Promise<Upload | string> {
  const name = cleanName(file.name);
  const { maxFileBytes } = deps.config.attachments;
  if (file.bytes.length > maxFileBytes) {
    const [size, max] = i18n.sizes(file.bytes.length, maxFileBytes);
    return i18n.t("files.tooBig", { name, size, max });
  }
  const sniffed = await sniff(file.bytes);
  if ("refused" in sniffed) return i18n.t(sniffed.refused, { name });
  const types = new Set<string>(allowed.flatMap((k) => KINDS[k].types));
  if (!types.has(sniffed.type))
    return i18n.t("files.typeRefused", {
      name,
      type: typeName(i18n.t, sniffed.type),
      kinds: allowedInWords(i18n, allowed),
    });
  const hash = createHash("sha256").update(file.bytes).digest("hex");
  return { name, type: sniffed.type, size: file.bytes.length, hash, bytes: file.bytes };
}

/**
 * The files of one message, all or nothing: past the count or the total a message may carry, or
 * any one of them refused, none is taken and the first problem is the answer.
 */
export async function checkFiles(
  deps: Deps,
  i18n: I18n,
  files: Incoming[],
): Promise<{ uploads: Upload[] } | { error: string }> {
  if (!files.length) return { uploads: [] };
  const { maxFiles, maxMessageBytes } = deps.config.attachments;
  if (maxFiles === 0) return { error: i18n.t("files.none") };
  if (files.length > maxFiles) return { error: i18n.t("files.tooMany", { count: files.length, max: maxFiles }) };
  const total = files.reduce((sum, f) => sum + f.bytes.length, 0);
  if (total > maxMessageBytes) {
    const [size, max] = i18n.sizes(total, maxMessageBytes);
    return { error: i18n.t("files.total", { size, max }) };
  }
  const allowed = await allowedKinds(deps);
  if (!allowed.length) return { error: i18n.t("files.none") };
  const uploads: Upload[] = [];
  for (const file of files) {
    const checked = await checkOne(deps, i18n, file, allowed);
    if (typeof checked === "string") return { error: checked };
    uploads.push(checked);
  }
  return { uploads };
}

/**
 * The files of an email, each on its own: what passes is taken (up to the count and total a
 * message may carry), and every file left out is named with why, for the agent to see.
 */
export async function checkEmailFiles(deps: Deps, files: Incoming[]): Promise<{ uploads: Upload[]; left: string[] }> {
  const { maxFiles, maxMessageBytes } = deps.config.attachments;
  const allowed = await allowedKinds(deps);
  const uploads: Upload[] = [];
  const left: string[] = [];
  let total = 0;
  // Said to the desk's agents, in the desk's language.
  const i18n = i18nFor(deps.config.defaultLanguage);
  for (const file of files) {
    const checked = await checkOne(deps, i18n, file, allowed);
    if (typeof checked === "string") left.push(checked);
    else if (uploads.length >= maxFiles) left.push(i18n.t("files.emailTooMany", { name: checked.name, max: maxFiles }));
    else if (total + checked.size > maxMessageBytes)
      left.push(i18n.t("files.emailTotal", { name: checked.name, max: i18n.size(maxMessageBytes) }));
    else {
      uploads.push(checked);
      total += checked.size;
    }
  }
  return { uploads, left };
}

/** Saves checked files on a ticket (replyId null: its description) or a reply, in the change's transaction. */
export async function saveFiles(
  tx: Tx,
  uploads: Upload[],
  at: { ticketId: number; replyId: number | null },
  now: Date,
) {
  for (const u of uploads) {
    await databaseStore.put(tx, u.hash, u.bytes);
    await tx.attachment.create({
      data: { ...at, name: u.name, type: u.type, size: u.size, contentHash: u.hash, createdAt: now },
    });
  }
}

/** What the ticket page shows of a file (never its bytes). */
/** The bytes of a file, from the store. */
export const readContent = (deps: Deps, hash: string) => databaseStore.get(deps.db, hash);

/** Files in words for an email: "jam.png (12 KB), manual.pdf (2.1 MB)"; undefined for none. */
export const filesInWords = (uploads: Upload[] | undefined) =>
  uploads?.length ? uploads.map((u) => `${u.name} (${formatSize(u.size)})`).join(", ") : undefined;
