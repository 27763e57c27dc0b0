import type { Tx } from "../db/prisma.js";
import type { Deps } from "../env.js";
import type { Role } from "./authorization.js";
import { changingSessions } from "./session-cache.js";
import { openSessionsOf } from "./sessions.js";

export type AdminOutcome = "done" | "last admin" | "self";

/**
 * Makes a change to a person unless it would leave no active admin. Every such change first writes
 * one shared row, so changes to admins take turns and each counts the admins the one before left:
 * two admins demoting or disabling each other at the same moment cannot both succeed.
 */
export async function unlessLastAdmin(
  deps: Deps,
  personId: number,
  staysAdmin: boolean,
  apply: (tx: Tx) => Promise<unknown>,
): Promise<AdminOutcome> {
  // Every instance drops its cached sessions with the change: a role or an account takes effect at once.
  return changingSessions(deps, async (tx): Promise<AdminOutcome> => {
    const key = "admins_changing";
    await tx.setting.upsert({ where: { key }, create: { key, value: "" }, update: { value: "" } });
    const now = await tx.user.findUniqueOrThrow({ where: { id: personId }, select: { role: true, disabledAt: true } });
    if (now.role === "admin" && !now.disabledAt && !staysAdmin) {
      const others = await tx.user.count({ where: { role: "admin", disabledAt: null, id: { not: personId } } });
      if (others === 0) return "last admin";
    }
    await apply(tx);
    return "done";
  });
}

/** Gives a person a role; the last active admin keeps theirs. Takes effect on their next request. */
export const changeRole = (deps: Deps, personId: number, role: Role) =>
  unlessLastAdmin(deps, personId, role === "admin", (tx) =>
    tx.user.update({ where: { id: personId }, data: { role } }),
  );

/** Disables an account and ends all its sessions at once; never one's own, never the last admin. */
export async function disablePerson(deps: Deps, actorId: number, personId: number): Promise<AdminOutcome> {
  if (actorId === personId) return "self";
  const now = deps.clock.now();
  return unlessLastAdmin(deps, personId, false, async (tx) => {
    await tx.user.update({ where: { id: personId }, data: { disabledAt: now } });
    await tx.session.updateMany({ where: openSessionsOf(personId), data: { revokedAt: now } });
  });
}

export async function enablePerson(deps: Deps, personId: number): Promise<void> {
  await changingSessions(deps, (tx) => tx.user.update({ where: { id: personId }, data: { disabledAt: null } }));
}
