import type { Context } from "hono";
import { RequestContext } from "hono/jsx-renderer";
import { Flash } from "../../views/components/flash.js";
import type { AppEnv } from "../env.js";
import { setFlash } from "./flash.js";

/**
 * An htmx request that swaps into part of the page. Boosted navigation, history restores and
 * plain browsers get whole pages.
 */
export function isPartial(c: Context): boolean {
  return (
    c.req.header("HX-Request") === "true" &&
    c.req.header("HX-Request-Type") === "partial" &&
    c.req.header("HX-History-Restore-Request") !== "true"
  );
}

/** Any request htmx sent: a partial swap, a boosted link or form, a history restore. */
export function isHtmx(c: Context): boolean {
  return c.req.header("HX-Request") === "true";
}

/**
 * After a successful POST: 303 for browsers and boosted forms; a partial htmx request cannot follow
 * a redirect into its target, so it gets 204 with HX-Location.
 */
export function seeOther(c: Context, location: string): Response {
  if (isPartial(c)) {
    c.header("HX-Location", location);
    return c.body(null, 204);
  }
  return c.redirect(location, 303);
}

/**
 * After a change that makes a different page altogether (signing in or out, a kiosk guest
 * finishing): a whole page load, with htmx too (HX-Redirect), so everything outside the body
 * follows: `<html lang dir>` (the person's language), the head, the CSRF token of the new session.
 */
export function wholePage(c: Context, location: string): Response {
  if (isHtmx(c)) {
    c.header("HX-Redirect", location);
    return c.body(null, 204);
  }
  return c.redirect(location, 303);
}

/** A fragment for an htmx swap, rendered with the request context its components read. */
export function fragment(c: Context, node: unknown): Response | Promise<Response> {
  return c.html(<RequestContext.Provider value={c}>{node as never}</RequestContext.Provider>);
}

/** The same view as a fragment for a partial htmx request, or inside the layout for everyone else. */
export function respond(c: Context, node: unknown, title: string): Response | Promise<Response> {
  return isPartial(c) ? fragment(c, node) : c.render(node as never, { title });
}

/**
 * A form sent back to be fixed (422; 401 or 429 for sign-in and look-ups): the status, and the page
 * whose title begins "Error:" (what a screen reader announces first, what the tab shows), or for
 * htmx the fragment alone (`partial`, else the same node).
 */
export function refuseForm(c: Context, status: 401 | 422 | 429, node: unknown, title: string, partial?: unknown) {
  c.status(status);
  return isPartial(c) ? fragment(c, partial ?? node) : c.render(node as never, { title, refused: true });
}

/**
 * The answer to a change that worked: in place for htmx (what `inPlace` renders, with the message in
 * the live region out of band), else the message as a flash and 303 to `location`.
 */
export async function done(c: Context<AppEnv>, message: string, location: string, inPlace: () => unknown) {
  if (!isPartial(c)) {
    setFlash(c, message);
    return seeOther(c, location);
  }
  const node = await inPlace();
  return fragment(
    c,
    <>
      {node as never}
      <Flash message={message} oob />
    </>,
  );
}
