import { contains } from "../db/match.js";
import { readRows } from "../db/reads.js";
import type { Deps } from "../env.js";
import { Prisma } from "../generated/sqlite/client.js";
import type { Role } from "./authorization.js";
import { changingSessions } from "./session-cache.js";
import { countLiveSessions } from "./sessions.js";

const PAGE = 50;

/** One page of people in id order, optionally matching a name or email; the id to continue after. */
export async function listPeople(deps: Deps, q: string | undefined, after: number | null) {
  const where = {
    ...(q ? { OR: [{ name: contains(deps, q) }, { email: contains(deps, q) }] } : {}),
    ...(after ? { id: { gt: after } } : {}),
  };
  const rows = await deps.db.user.findMany({ where, orderBy: { id: "asc" }, take: PAGE + 1 });
  const people = rows.slice(0, PAGE).map((u) => ({ ...u, activeSessions: 0 }));
  return { people, nextAfter: rows.length > PAGE ? people[people.length - 1]!.id : undefined };
}

/** A person as an admin sees them, with how many sessions they have open; null if there is no such person. */
export async function findPerson(deps: Deps, id: number) {
  const user = await deps.db.user.findUnique({
    where: { id },
    include: {
      _count: { select: { passkeys: true } },
      personEvents: {
        orderBy: { id: "desc" },
        take: 20,
        select: { id: true, kind: true, createdAt: true, actor: { select: { name: true } } },
      },
    },
  });
  if (!user) return null;
  const { personEvents, totpSecret: _secret, totpPendingSecret: _pending, _count, ...rest } = user;
  return {
    ...rest,
    events: personEvents,
    passkeys: _count.passkeys,
    twoFactor: Boolean(rest.totpEnabledAt) || _count.passkeys > 0,
    activeSessions: await countLiveSessions(deps, id),
  };
}
export type Person = NonNullable<Awaited<ReturnType<typeof findPerson>>>;

/** The people a ticket can be assigned to: active agents and admins. */
export const activeStaffWhere = { role: { in: ["agent", "admin"] }, disabledAt: null };

/**
 * Who can take tickets (the assignee choices of the queue and of every staff ticket page), by name:
 * one statement on the driver (readRows), as Prisma's query builder took a tenth of the queue's time.
 */
export const activeStaff = (deps: Deps) =>
  readRows<{ id: number; name: string }>(
    deps.db,
    Prisma.sql`SELECT id, name FROM "User" WHERE role IN ('agent', 'admin') AND "disabledAt" IS NULL ORDER BY name ASC`,
  );

/** Staff's start view (a query string of the queue), or back to the default (null). */
export async function setStartView(deps: Deps, userId: number, view: string | null): Promise<void> {
  // Where sign-in lands is read from the (cached) session's person: every instance is told.
  await changingSessions(deps, (tx) => tx.user.update({ where: { id: userId }, data: { startView: view } }));
}

/** The language pages and mail are in for this person, or back to their browser's (null). */
export async function setLanguage(deps: Deps, userId: number, language: string | null): Promise<void> {
  // Every page's language is read from the (cached) session's person: every instance is told.
  await changingSessions(deps, (tx) => tx.user.update({ where: { id: userId }, data: { language } }));
}

export async function renameUser(deps: Deps, userId: number, name: string): Promise<void> {
  // The name is in every page's menu: cached sessions carry it.
  await changingSessions(deps, (tx) => tx.user.update({ where: { id: userId }, data: { name } }));
}

/**
 * An admin adds a person (no password yet: they choose one through the emailed invitation, which
 * also confirms their address). Null when the address already has an account.
 */
export async function addPerson(
  deps: Deps,
  input: { name: string; email: string; role: Role },
): Promise<{ id: number } | null> {
  try {
    return await deps.db.user.create({
      data: { ...input, passwordHash: "", createdAt: deps.clock.now() },
      select: { id: true },
    });
  } catch (error) {
    if ((error as { code?: string }).code === "P2002") return null;
    throw error;
  }
}
