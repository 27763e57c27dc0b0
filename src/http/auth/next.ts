const DEFAULT = "/tickets";
const BASE = "http://hyperdesk.invalid/a/b";
const ORIGIN = new URL(BASE).origin;

/**
 * Where to go after signing in: always a path on this site. The value is read the way a browser
 * reads a Location (WHATWG URL parsing: `.`/`..` segments, `%2e`, backslashes, tabs and newlines
 * all resolved first), and only then judged, so no normalisation a browser applies afterwards can
 * turn it into another site: leading slashes are collapsed to one (`/.//evil` resolves to
 * `//evil`, which would be protocol-relative), and the result must read back as itself on this
 * origin. Given back percent-encoded, so the header is plain ASCII whatever the path held.
 */
export function safeNext(next: string | undefined): string {
  if (!next?.startsWith("/") || !URL.canParse(next, BASE)) return DEFAULT;
  const url = new URL(next, BASE);
  if (url.origin !== ORIGIN) return DEFAULT;
  const path = url.pathname.replace(/^[/\\]+/, "/") + url.search + url.hash;
  return sameOriginPath(path) ? path : DEFAULT;
}

/** A path that a browser, resolving it against any page of this site, keeps on this site, unchanged. */
function sameOriginPath(path: string): boolean {
  if (!/^\/(?![/\\])/.test(path) || /[\s\\]/.test(path)) return false;
  const again = new URL(path, BASE);
  return again.origin === ORIGIN && again.pathname + again.search + again.hash === path;
}
