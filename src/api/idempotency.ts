import { createHash } from "node:crypto";
import type { Context } from "hono";
import type { Deps } from "../env.js";

// Idempotency-Key on the API's creates and replies (the IETF httpapi draft's header): the same key
// from the same token gets the first answer again for 24 hours (`Idempotent-Replayed: true`); the
// key sent with a different request is refused (422); a second request while the first still runs
// gets 409. A retry after a lost answer on a slow link never makes a second ticket or reply.

export const KEEP_MS = 24 * 3_600_000;
const KEY = /^[\x21-\x7e]{1,100}$/;

type Answer = { status: number; body: string };
export type Idempotent =
  | { kind: "run"; finish: (answer: Answer) => Promise<void> }
  | { kind: "replay"; answer: Answer }
  | { kind: "busy" | "mismatch" | "bad key" };

/** What to do with a write that may carry an Idempotency-Key. */
export async function idempotency(deps: Deps, c: Context, tokenId: number, bodyText: string): Promise<Idempotent> {
  const key = c.req.header("Idempotency-Key");
  if (key === undefined) return { kind: "run", finish: async () => {} };
  if (!KEY.test(key)) return { kind: "bad key" };
  const fingerprint = createHash("sha256").update(`${c.req.method} ${c.req.path}\n${bodyText}`).digest("hex");
  const now = deps.clock.now();
  const where = { tokenId_key: { tokenId, key } };
  // A key older than a day is free again.
  await deps.db.apiIdempotency.deleteMany({
    where: { tokenId, key, createdAt: { lt: new Date(now.getTime() - KEEP_MS) } },
  });
  try {
    const row = await deps.db.apiIdempotency.create({ data: { tokenId, key, fingerprint, createdAt: now } });
    return {
      kind: "run",
      finish: async (answer) => {
        // A failure is not kept: the same key may try again.
        if (answer.status >= 500) await deps.db.apiIdempotency.delete({ where: { id: row.id } });
        else await deps.db.apiIdempotency.update({ where: { id: row.id }, data: answer });
      },
    };
  } catch (error) {
    if ((error as { code?: string }).code !== "P2002") throw error;
    const row = await deps.db.apiIdempotency.findUnique({ where });
    if (!row) return { kind: "busy" };
    if (row.fingerprint !== fingerprint) return { kind: "mismatch" };
    if (row.status === null || row.body === null) return { kind: "busy" };
    return { kind: "replay", answer: { status: row.status, body: row.body } };
  }
}
