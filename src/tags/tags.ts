import type { Tx } from "../db/prisma.js";
import type { Deps } from "../env.js";
import { type MessageKey, msg } from "../i18n/translate.js";
import { type Actor, type Outcome, writeChange } from "../tickets/changes.js";

// Tags: labels agents put on tickets, one small resource each (add, remove), each a change with its
// line in the history (staff only). A tag is written one way: lower case, single spaces, at most
// TAG_MAX_CHARS, so "Printer ", "printer" and "PRINTER" are one tag.

export const TAG_MAX_CHARS = 30;
export const TAGS_PER_TICKET = 10;

/** A tag as typed -> its one spelling, or the message saying why it cannot be one. */
export function normaliseTag(raw: string): { name: string } | { error: MessageKey } {
  const name = raw
    .normalize("NFC")
    .replace(/[\u202A-\u202E\u2066-\u2069]/g, "")
    .trim()
    .replace(/\s+/g, " ")
    .toLowerCase();
  if (!name) return { error: msg("tags.missing") };
  if ([...name].length > TAG_MAX_CHARS) return { error: msg("tags.long") };
  if (!/^[\p{L}\p{N}][\p{L}\p{N}\p{M} ._-]*$/u.test(name)) return { error: msg("tags.chars") };
  return { name };
}

/** The tags of a ticket, by name. */
export async function tagsOf(deps: Deps, ticketId: number): Promise<{ id: number; name: string }[]> {
  const rows = await deps.db.ticketTag.findMany({ where: { ticketId }, select: { tag: true } });
  return rows.map((r) => ({ id: r.tag.id, name: r.tag.name })).sort((a, b) => a.name.localeCompare(b.name));
}

/** Every tag's name, for the add box's suggestions (a datalist): the most a desk is likely to keep. */
export const tagNames = async (deps: Deps) =>
  (await deps.db.tag.findMany({ select: { name: true }, orderBy: { name: "asc" }, take: 500 })).map((t) => t.name);

class Full extends Error {}

/** Puts a tag on a ticket: "unchanged" when it has it, "full" at TAGS_PER_TICKET. */
export async function addTag(deps: Deps, actor: Actor, ticketId: number, name: string): Promise<Outcome | "full"> {
  const tag = await deps.db.tag.upsert({ where: { name }, create: { name }, update: {}, select: { id: true } });
  const has = await deps.db.ticketTag.findUnique({ where: { ticketId_tagId: { ticketId, tagId: tag.id } } });
  if (has) return "unchanged";
  const events = [{ kind: "tag", toValue: name, internal: true }];
  try {
    return await writeChange(deps, { id: ticketId }, undefined, {}, { actorId: actor.id, events }, async (tx: Tx) => {
      if ((await tx.ticketTag.count({ where: { ticketId } })) >= TAGS_PER_TICKET) throw new Full();
      await tx.ticketTag.create({ data: { ticketId, tagId: tag.id } });
    });
  } catch (error) {
    if (error instanceof Full) return "full";
    // The same tag put on by someone else a moment before: it is on.
    if ((error as { code?: string }).code === "P2002") return "unchanged";
    throw error;
  }
}

/** Takes a tag off a ticket: "unchanged" when it did not have it. */
export async function removeTag(deps: Deps, actor: Actor, ticketId: number, tagId: number): Promise<Outcome> {
  const has = await deps.db.ticketTag.findUnique({
    where: { ticketId_tagId: { ticketId, tagId } },
    select: { tag: { select: { name: true } } },
  });
  if (!has) return "unchanged";
  const events = [{ kind: "untag", fromValue: has.tag.name, internal: true }];
  return writeChange(deps, { id: ticketId }, undefined, {}, { actorId: actor.id, events }, async (tx: Tx) => {
    await tx.ticketTag.deleteMany({ where: { ticketId, tagId } });
  });
}

/**
 * Makes a ticket's tags exactly `names` (each already in its one spelling), as one change: a
 * history line per tag put on or taken off. "full" past TAGS_PER_TICKET; "stale" when `version`
 * is not the ticket's. The API's PATCH uses it.
 */
export async function setTags(
  deps: Deps,
  actor: Actor,
  ticketId: number,
  names: string[],
  version?: number,
): Promise<Outcome | "full"> {
  const wanted = [...new Set(names)];
  if (wanted.length > TAGS_PER_TICKET) return "full";
  const current = await tagsOf(deps, ticketId);
  const removed = current.filter((t) => !wanted.includes(t.name));
  const added = wanted.filter((n) => !current.some((t) => t.name === n));
  if (!removed.length && !added.length) return "unchanged";
  const events = [
    ...added.map((name) => ({ kind: "tag", toValue: name, internal: true })),
    ...removed.map((t) => ({ kind: "untag", fromValue: t.name, internal: true })),
  ];
  try {
    return await writeChange(deps, { id: ticketId }, version, {}, { actorId: actor.id, events }, async (tx: Tx) => {
      if (removed.length)
        await tx.ticketTag.deleteMany({ where: { ticketId, tagId: { in: removed.map((t) => t.id) } } });
      for (const name of added) {
        const tag = await tx.tag.upsert({ where: { name }, create: { name }, update: {}, select: { id: true } });
        await tx.ticketTag.create({ data: { ticketId, tagId: tag.id } });
      }
    });
  } catch (error) {
    // Someone put one of them on a moment before: the ticket moved on meanwhile.
    if ((error as { code?: string }).code === "P2002") return "stale";
    throw error;
  }
}

/** Every tag with how many tickets carry it, by name: the admin page. */
export async function tagsInUse(deps: Deps) {
  const rows = await deps.db.tag.findMany({
    select: { id: true, name: true, _count: { select: { tickets: true } } },
    orderBy: { name: "asc" },
  });
  return rows.map((r) => ({ id: r.id, name: r.name, tickets: r._count.tickets }));
}

/**
 * Renames a tag; to the name of another tag, merges it into that one (each ticket keeps one of
 * them) in one transaction. Null when the tag is gone.
 */
export async function renameTag(deps: Deps, id: number, name: string): Promise<"renamed" | "merged" | null> {
  return deps.db.$transaction(async (tx) => {
    const tag = await tx.tag.findUnique({ where: { id } });
    if (!tag) return null;
    if (tag.name === name) return "renamed";
    const other = await tx.tag.findUnique({ where: { name } });
    if (!other) {
      await tx.tag.update({ where: { id }, data: { name } });
      return "renamed";
    }
    const moving = await tx.ticketTag.findMany({ where: { tagId: id }, select: { ticketId: true } });
    const has = new Set(
      (await tx.ticketTag.findMany({ where: { tagId: other.id }, select: { ticketId: true } })).map((r) => r.ticketId),
    );
    const missing = moving.filter((r) => !has.has(r.ticketId)).map((r) => ({ ticketId: r.ticketId, tagId: other.id }));
    if (missing.length) await tx.ticketTag.createMany({ data: missing });
    await tx.tag.delete({ where: { id } });
    return "merged";
  });
}
