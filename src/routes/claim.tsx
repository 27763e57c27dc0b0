import { Hono } from "hono";
import { z } from "zod";
import { ClaimAnsweredPage, ClaimPage } from "../../views/claims/index.js";
import type { AppEnv, Ctx } from "../env.js";
import { confirmClaim, declineClaim, readClaim } from "../guests/claims.js";
import { startGuestSession } from "../http/auth/guest.js";
import { renderError } from "../http/errors.js";
import { readForm } from "../http/forms.js";

// /claim: the link mailed to an address a ticket was opened in the name of (guests/claims.ts).
// Its page asks "was it you?" with two buttons; only a POST answers (mail scanners fetch links).
export const claim = new Hono<AppEnv>();

const gone = (c: Ctx) => {
  const { t } = c.var.i18n;
  return renderError(c, 404, t("claim.goneTitle"), t("claim.gone"));
};

claim.get("/", async (c) => {
  const token = c.req.query("token") ?? "";
  const found = await readClaim(c.var.deps, token);
  if (!found) return gone(c);
  return c.render(<ClaimPage token={token} claim={found} />, { title: c.var.i18n.t("claim.title") });
});

const answer = z.object({ token: z.string().max(200), answer: z.enum(["yes", "no"]) });

claim.post("/", async (c) => {
  const { deps, i18n } = c.var;
  const form = await readForm(c, answer);
  const found = form.ok ? await readClaim(deps, form.data.token) : null;
  if (!form.ok || !found) return gone(c);
  const title = i18n.t("claim.title");
  if (form.data.answer === "no") {
    if (!(await declineClaim(deps, found))) return gone(c);
    return c.render(<ClaimAnsweredPage claim={found} confirmed={false} />, { title });
  }
  const joined = await confirmClaim(deps, found);
  if (!joined.ok && joined.why === "disabled")
    return renderError(c, 403, i18n.t("claim.disabledTitle"), i18n.t("claim.disabled"));
  if (!joined.ok) return gone(c);
  // The mailed link stands for the code: a kiosk ticket opens here at once, as its guest's view
  // (no look-up by number and code), unless someone is signed in on this browser.
  const ticket = await deps.db.ticket.findUniqueOrThrow({ where: { id: found.id }, select: { accessCode: true } });
  const opens = !c.var.user && ticket.accessCode !== null;
  if (opens) startGuestSession(c, found.id, ticket.accessCode!);
  const signedIn = c.var.user?.id === joined.accountId || opens;
  return c.render(<ClaimAnsweredPage claim={found} confirmed signedIn={signedIn} />, { title });
});
