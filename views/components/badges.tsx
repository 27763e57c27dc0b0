import { useT } from "../../src/i18n/view.js";
import { priorityLabel, statusLabel } from "../../src/i18n/words.js";
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

export function StatusBadge({ status }: { status: string }) {
  return <span class={`badge s-${status.replace(/\s+/g, "-")}`}>{statusLabel(useT(), status)}</span>;
}
