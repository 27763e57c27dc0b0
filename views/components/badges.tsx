/** Priority and status as words (never colour alone), with a class for a quiet colour cue. */
export function PriorityBadge({ priority }: { priority: string }) {
  return (
    <span class={`badge p-${priority}`}>
      {priority}
      <span class="visually-hidden"> priority</span>
    </span>
  );
}

export function StatusBadge({ status }: { status: string }) {
  return <span class={`badge s-${status.replace(/\s+/g, "-")}`}>{status}</span>;
}
