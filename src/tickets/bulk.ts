import type { Tx } from "../db/prisma.js";
import type { Deps } from "../env.js";
import { TAGS_PER_TICKET } from "../tags/tags.js";
import { type Actor, fieldChanges, staffMember, type Wanted, writeChange } from "./changes.js";
import type { ChangeEvent } from "./events.js";
import { statusesOf } from "./statuses.js";

// Bulk triage: one change asked of up to a page of tickets. Each ticket is its own change through
// the pipeline (changes.ts: its row, its history, its subscribers, its own transaction), at the
// version the agent's page showed: a ticket someone changed since is left as it is and reported.

/** At most this many tickets in one bulk change: a queue page is 25; a longer page appended by "Next page" is allowed up to here. */
export const BULK_MAX = 100;

/** A ticket picked on the page, with the version the page showed. */
export type Picked = { id: number; version: number };

/** What to do to each picked ticket: the fields (as a triage form's), a tag on, a tag off. */
export type BulkWanted = Wanted & { addTag?: string; removeTag?: string };

/** Ticket numbers, by what happened to each. */
export type BulkResult = {
  changed: number[];
  /** Already as asked. */
  unchanged: number[];
  /** Changed by someone since the page was loaded: left as it is. */
  stale: number[];
  /** No such ticket (any more). */
  missing: number[];
  /** The tag to add did not fit (TAGS_PER_TICKET). */
  full: number[];
};

class Full extends Error {}

/** "12.3" (ticket 12 at version 3, as the queue's checkbox sends it) -> the pick; null for anything else. */
export function pickedOf(value: string): Picked | null {
  const m = /^(\d{1,10})\.(\d{1,10})$/.exec(value);
  if (!m) return null;
  const [id, version] = [Number(m[1]), Number(m[2])];
  return id > 0 && id <= 2_147_483_647 && version <= 2_147_483_647 ? { id, version } : null;
}

/**
 * Applies `wanted` to each picked ticket, one after the other, each in its own transaction.
 * "not staff" (nothing done) when the assignee named cannot take tickets.
 */
export async function bulkChange(
  deps: Deps,
  actor: Actor,
  picked: Picked[],
  wanted: BulkWanted,
): Promise<BulkResult | "not staff"> {
  const id = wanted.assigneeId;
  const assignee = id == null ? null : await staffMember(deps, id);
  if (id != null && !assignee) return "not staff";
  const result: BulkResult = { changed: [], unchanged: [], stale: [], missing: [], full: [] };
  const ids = picked.map((p) => p.id);
  const [tickets, statuses, addTag, removeTag] = await Promise.all([
    deps.db.ticket.findMany({
      where: { id: { in: ids } },
      select: {
        id: true,
        status: true,
        priority: true,
        assigneeId: true,
        requesterId: true,
        version: true,
        assignee: { select: { name: true } },
        tags: { select: { tagId: true } },
      },
    }),
    statusesOf(deps),
    wanted.addTag
      ? deps.db.tag.upsert({ where: { name: wanted.addTag }, create: { name: wanted.addTag }, update: {} })
      : null,
    wanted.removeTag ? deps.db.tag.findUnique({ where: { name: wanted.removeTag } }) : null,
  ]);
  const byId = new Map(tickets.map((t) => [t.id, t]));
  for (const { id, version } of picked) {
    const ticket = byId.get(id);
    if (!ticket) {
      result.missing.push(id);
      continue;
    }
    // Seen at another version: someone changed it since (the write below checks it again, atomically).
    if (ticket.version !== version) {
      result.stale.push(id);
      continue;
    }
    const { data, events } = fieldChanges(ticket, wanted, assignee, deps.clock.now(), statuses);
    const has = new Set(ticket.tags.map((t) => t.tagId));
    const tagOn = addTag && !has.has(addTag.id) ? addTag : null;
    const tagOff = removeTag && has.has(removeTag.id) ? removeTag : null;
    const tagEvents: ChangeEvent[] = [
      ...(tagOn ? [{ kind: "tag", toValue: tagOn.name, internal: true }] : []),
      ...(tagOff ? [{ kind: "untag", fromValue: tagOff.name, internal: true }] : []),
    ];
    if (!events.length && !tagEvents.length) {
      result.unchanged.push(id);
      continue;
    }
    const tags = async (tx: Tx) => {
      if (tagOff) await tx.ticketTag.deleteMany({ where: { ticketId: id, tagId: tagOff.id } });
      if (!tagOn) return;
      if ((await tx.ticketTag.count({ where: { ticketId: id } })) >= TAGS_PER_TICKET) throw new Full();
      await tx.ticketTag.create({ data: { ticketId: id, tagId: tagOn.id } });
    };
    try {
      const change = { actorId: actor.id, events: [...events, ...tagEvents] };
      const outcome = await writeChange(deps, ticket, version, data, change, tags);
      result[outcome === "stale" ? "stale" : "changed"].push(id);
    } catch (error) {
      if (!(error instanceof Full)) throw error;
      result.full.push(id);
    }
  }
  return result;
}
