import type { Db, Tx } from "../db/prisma.js";

/**
 * Where the bytes of attached files live, by their SHA-256: one copy per distinct content. The
 * database store below needs no shared disk, so several app instances on one database just work.
 * A directory or an S3-compatible bucket would be another ContentStore: `put` writes the bytes
 * under their hash if absent (idempotent, so a retry or a second upload of the same file is
 * harmless), `get` reads them; nothing else in the app touches the bytes.
 */
export interface ContentStore {
  put(tx: Tx, hash: string, bytes: Uint8Array): Promise<void>;
  get(db: Db, hash: string): Promise<Uint8Array | null>;
}

export const databaseStore: ContentStore = {
  async put(tx, hash, bytes) {
    // Inside the change's transaction: the ticket or reply and its files commit together.
    // The same file sent at the same moment by two people: an upsert (INSERT ... ON CONFLICT on
    // PostgreSQL) lets both commit; the look first spares sending the bytes again when it is known.
    const found = await tx.fileContent.findUnique({ where: { hash }, select: { hash: true } });
    if (!found)
      await tx.fileContent.upsert({
        where: { hash },
        create: { hash, size: bytes.length, bytes: bytes as Uint8Array<ArrayBuffer> },
        update: { size: bytes.length },
      });
  },
  async get(db, hash) {
    const row = await db.fileContent.findUnique({ where: { hash }, select: { bytes: true } });
    return row ? row.bytes : null;
  },
};

/** Removes stored bytes no attachment names any more (content is shared by hash between attachments). */
export async function dropUnusedContent(tx: Tx, hashes: string[]): Promise<void> {
  for (const hash of new Set(hashes))
    if (!(await tx.attachment.count({ where: { contentHash: hash } })))
      await tx.fileContent.deleteMany({ where: { hash } });
}
