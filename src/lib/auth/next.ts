const HERE = "http://hyperdesk.invalid";

/**
 * Only a path on this site: `//evil.example`, `https://...`, `/\evil` and `/\t/evil` all become
 * /tickets. Read the way a browser reads a Location, and given back percent-encoded, so the
 * header is plain ASCII whatever the path held.
 */
export function safeNext(next: string | undefined): string {
  if (!next?.startsWith("/")) return "/tickets";
  const url = URL.canParse(next, HERE) ? new URL(next, HERE) : undefined;
  return url?.origin === HERE ? url.pathname + url.search + url.hash : "/tickets";
}
