import type { Deps } from "../env.js";
import { statusesOf } from "../tickets/statuses.js";
import { SLA_ROW, type SlaRow, slaFields } from "./due.js";
import { readPolicy } from "./policy.js";

// After the policy is saved, the tickets not closed get due times by it: from their creation, every
// pause so far counted (sla/due.ts), in batches of short transactions after the answer has gone,
// so neither the admin nor anyone else waits on it. A ticket changed meanwhile is left alone (its
// change already used the new policy); a second save while a run goes on stops the first.

const BATCH = 200;
const running = new WeakMap<object, { generation: number; done: Promise<number> }>();

const ROW = { ...SLA_ROW, id: true, version: true, updatedAt: true } as const;

/** Every ticket whose status is not of the closed kind. */
const notClosedOf = async (deps: Deps) => ({ status: { notIn: (await statusesOf(deps)).ofKind("closed") } });

/** How many tickets a run would bring up to date. */
export const openTicketCount = async (deps: Deps) => deps.db.ticket.count({ where: await notClosedOf(deps) });

/** Starts bringing every ticket not closed up to date with the saved policy; resolves to how many were. */
export function recomputeOpenTickets(deps: Deps): Promise<number> {
  const generation = (running.get(deps.db)?.generation ?? 0) + 1;
  const stale = () => running.get(deps.db)?.generation !== generation;
  const done = (async () => {
    const policy = await readPolicy(deps.db, deps.config.timeZone);
    const statuses = await statusesOf(deps);
    const notClosed = await notClosedOf(deps);
    let after = 0;
    let count = 0;
    for (;;) {
      if (stale()) return count;
      const rows = await deps.db.ticket.findMany({
        where: { ...notClosed, id: { gt: after } },
        orderBy: { id: "asc" },
        take: BATCH,
        select: ROW,
      });
      if (!rows.length) return count;
      const now = deps.clock.now();
      await deps.db.$transaction(
        rows.map(({ id, version, updatedAt, ...row }) =>
          deps.db.ticket.updateMany({
            where: { id, version },
            // Not a change anyone made: the ticket keeps its "updated" time (Prisma would stamp now).
            data: {
              ...slaFields(policy, row as SlaRow, { answered: false, recompute: true }, now, statuses),
              updatedAt,
            },
          }),
        ),
      );
      count += rows.length;
      after = rows[rows.length - 1]!.id;
      // Let requests in between batches.
      await new Promise((resolve) => setImmediate(resolve));
    }
  })().catch((error: unknown) => {
    deps.log({ msg: "sla recompute failed", error: String(error) });
    return 0;
  });
  running.set(deps.db, { generation, done });
  return done;
}

/** The run going on (or the last one), for tests and for shutting down cleanly. */
export const recomputing = (deps: Deps): Promise<number> => running.get(deps.db)?.done ?? Promise.resolve(0);
