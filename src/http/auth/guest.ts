import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../../env.js";
import { sign, unsign } from "../../guests/codes.js";
import { guestSessionValue, readGuestSession } from "../../guests/guests.js";
import { keepDraft } from "../drafts.js";
import { setFlash } from "../flash.js";
import { formValues } from "../forms.js";
import { isPartial } from "../htmx.js";
import { BodyTooLarge } from "../uploads.js";

// A guest's view of one ticket: a cookie that ends with the browser (no expiry date) and that the
// server refuses after the idle time. While it is live, the guest is that ticket's requester on
// that ticket's own pages and nowhere else (GUEST_PATHS): its page, replies with files, close,
// reopen and its files. Every other page treats the browser as signed out.

const SESSION = "hyperdesk_guest";
const RECEIPT = "hyperdesk_receipt";
export const RECEIPT_PATH = "/guest/receipt";

const prefix = (c: Context<AppEnv>) => (c.var.deps.config.secure ? ("host" as const) : undefined);
const options = (c: Context<AppEnv>, path = "/") => ({
  path,
  httpOnly: true,
  secure: c.var.deps.config.secure,
  sameSite: "Lax" as const,
  // __Host- needs Path=/; the receipt cookie, on its own path, is Secure over https instead.
  prefix: path === "/" ? prefix(c) : undefined,
});

const guestPaths = (ticketId: number) =>
  new RegExp(`^/tickets/${ticketId}(?:/replies|/close|/reopen|/files/[0-9]+)?/?$`);

export function startGuestSession(c: Context<AppEnv>, ticketId: number, accessCode: string) {
  setCookie(c, SESSION, guestSessionValue(c.var.deps, ticketId, accessCode), options(c));
}

export function endGuestSession(c: Context<AppEnv>) {
  deleteCookie(c, SESSION, { path: "/", secure: c.var.deps.config.secure, prefix: prefix(c) });
  deleteCookie(c, RECEIPT, { path: RECEIPT_PATH, secure: c.var.deps.config.secure });
}

/** Whether this browser sent a guest view's cookie at all (live, idle or ended). */
export const hasGuestCookie = (c: Context<AppEnv>) => getCookie(c, SESSION, prefix(c)) !== undefined;

/** The number and code, kept for the receipt page alone, for as long as the guest's view lasts. */
export function keepReceipt(c: Context<AppEnv>, ticketId: number, code: string) {
  const { config } = c.var.deps;
  setCookie(c, RECEIPT, sign(config.authSecret, "guest-receipt", `${ticketId}.${code}`), {
    ...options(c, RECEIPT_PATH),
    maxAge: Math.round(config.sessionIdleMs / 1000),
  });
}

export function readReceipt(c: Context<AppEnv>): { ticketId: number; code: string } | null {
  const value = unsign(c.var.deps.config.authSecret, "guest-receipt", getCookie(c, RECEIPT));
  const m = value?.match(/^(\d{1,9})\.([A-Z0-9]{8})$/);
  return m ? { ticketId: Number(m[1]), code: m[2]! } : null;
}

/**
 * After the session is loaded: a browser with no signed-in person and a live guest cookie is that
 * ticket's guest (`c.var.guest`), and on the ticket's own pages its requester (`c.var.user`).
 * Each such request renews the idle time. A guest cookie that ended sends its ticket's pages to
 * /status with why, instead of to a sign-in page the guest has no account for.
 */
export const guestAccess = createMiddleware<AppEnv>(async (c, next) => {
  c.set("guest", null);
  const cookie = c.var.user ? undefined : getCookie(c, SESSION, prefix(c));
  if (!cookie) return next();
  const guest = await readGuestSession(c.var.deps, cookie);
  if (guest === "ended" || guest === null || "idle" in guest) {
    endGuestSession(c);
    if (guest !== null && /^\/tickets\/[0-9]+/.test(c.req.path)) {
      // A reply typed while the view ran out of time is kept for this guest, and given back
      // after the number and code are entered again (as a signed-in person's is after signing in).
      const draft =
        typeof guest === "object" && c.req.method === "POST"
          ? await keepDraft(c.var.deps, guest.requesterId, c.req.path, await typedValues(c))
          : undefined;
      setFlash(c, c.var.i18n.t(draft ? "guest.endedKept" : "guest.ended"));
      const lookup = draft ? `/status?draft=${draft}` : "/status";
      if (isPartial(c)) {
        c.header("HX-Redirect", lookup);
        return c.body(null, 204);
      }
      return c.redirect(lookup, 303);
    }
    return next();
  }
  c.set("guest", { ticketId: guest.ticketId });
  if (guestPaths(guest.ticketId).test(c.req.path)) c.set("user", guest.requester);
  startGuestSession(c, guest.ticketId, guest.accessCode);
  await next();
});

/** What a form carried, to keep it; a body over its limit is answered as that (413), one unreadable keeps nothing. */
async function typedValues(c: Context<AppEnv>) {
  try {
    return await formValues(c);
  } catch (error) {
    if (error instanceof BodyTooLarge) throw error;
    return {};
  }
}
