import { useRequestContext } from "hono/jsx-renderer";
import type { AppEnv } from "../../src/env.js";
import { useI18n } from "../../src/i18n/view.js";
import { dueState } from "../../src/sla/due.js";
import { Time } from "./time.js";

type Clocked = { nextDueAt: Date | null; nextRiskAt: Date | null; slaPausedAt: Date | null };

/**
 * Where a ticket stands against its next due time, in words ("Due in 2 hours", "At risk: due in
 * 40 minutes", "Overdue: was due 3 hours ago", "Paused"), the colour only repeating them; nothing
 * when no target runs. Read from the stored times and the clock: nothing polls.
 */
export function DueBadge({ ticket }: { ticket: Clocked }) {
  const { t, rich } = useI18n();
  const now = useRequestContext<AppEnv>().var.deps.clock.now();
  const state = dueState(ticket, now);
  if (state.kind === "none") return null;
  if (state.kind === "paused") return <span class="due due-paused">{t("sla.paused")}</span>;
  const when = { when: () => <Time date={state.at} /> };
  if (state.kind === "overdue") return <span class="due due-overdue">{rich("sla.overdue", when)}</span>;
  if (state.atRisk) return <span class="due due-risk">{rich("sla.atRisk", when)}</span>;
  return <span class="due">{rich("sla.dueBy", when)}</span>;
}

/**
 * One target on the ticket page: met or missed once done (its due time and when it was done), else
 * running, overdue or paused; "No target" when its priority has none.
 */
export function TargetState({ due, done, pausedAt }: { due: Date | null; done: Date | null; pausedAt: Date | null }) {
  const { t, rich } = useI18n();
  const now = useRequestContext<AppEnv>().var.deps.clock.now();
  if (!due) return <>{t("sla.noTarget")}</>;
  if (done) {
    const times = { due: () => <Time date={due} />, done: () => <Time date={done} /> };
    return done <= due ? (
      <span class="due due-met">{rich("sla.met", times)}</span>
    ) : (
      <span class="due due-overdue">{rich("sla.missed", times)}</span>
    );
  }
  // A target still running when the clock stopped moves out when it starts again; one already missed stays missed.
  if (pausedAt && due > pausedAt) return <span class="due due-paused">{t("sla.paused")}</span>;
  const when = { when: () => <Time date={due} /> };
  if (due <= now) return <span class="due due-overdue">{rich("sla.overdue", when)}</span>;
  return <span class="due">{rich("sla.dueBy", when)}</span>;
}
