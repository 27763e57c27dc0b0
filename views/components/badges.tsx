import { useT } from "../../src/i18n/view.js";
import { priorityLabel, statusLabel } from "../../src/i18n/words.js";
import { DEFAULT_OF } from "../../src/tickets/statuses.js";
import { useStatuses } from "./statuses.js";
/** Priority and status as words (never colour alone), with a class for a quiet colour cue. */
export function PriorityBadge({ priority }: { priority: string }) {
  const t = useT();
  return (
    <span class={`badge p-${priority}`}>
      {priorityLabel(t, priority)}
      <span class="visually-hidden"> {t("priority.suffix")}</span>
    </span>
  );
}

/**
 * A status as words; Waiting says who waits, for whom it is shown: "Waiting for your reply" to a
 * requester, "Waiting on the requester" to staff.
 */
export function StatusBadge({ status, staff }: { status: string; staff?: boolean }) {
  const t = useT();
  const words =
    status === "Waiting" && staff !== undefined
      ? t(staff ? "status.waitingOnRequester" : "status.waitingForYou")
      : statusLabel(t, status);
  // The colour cue of its kind: a desk's own status looks like the one of the four it works as.
  const look = DEFAULT_OF[useStatuses().kindOf(status)];
  return <span class={`badge s-${look.replace(/\s+/g, "-")}`}>{words}</span>;
}
