/** The one live region for messages; an in-place update replaces it out of band. */
export function Flash({ message, oob }: { message: string | null | undefined; oob?: boolean }) {
  return (
    <div id="flash" class="flash" role="status" aria-live="polite" data-hx-swap-oob={oob ? "true" : undefined}>
      {message ? <p>{message}</p> : null}
    </div>
  );
}
