/** A date people can read everywhere (UTC, no script), with the machine-readable value. */
export function Time({ date }: { date: Date }) {
  return <time datetime={date.toISOString()}>{formatDate(date)}</time>;
}

export function formatDate(date: Date): string {
  return `${date.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}
