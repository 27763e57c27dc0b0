import { Hono } from "hono";
import { z } from "zod";
import type { FieldErrors } from "../../views/components/field.js";
import { LookupForm, StatusLookupPage } from "../../views/guest/index.js";
import type { AppEnv } from "../env.js";
import { normaliseCode } from "../guests/codes.js";
import { lookUpGuestTicket } from "../guests/guests.js";
import { msg } from "../i18n/translate.js";
import { endGuestSession, startGuestSession } from "../lib/auth/guest.js";
import { requestMeta } from "../lib/auth/middleware.js";
import { notFound, tooManyAttempts } from "../lib/errors.js";
import { readForm } from "../lib/forms.js";
import { fragment, isPartial, seeOther, wholePage } from "../lib/htmx.js";

// /status: a guest ticket by its number and access code; /status/leave ends the guest's view.
export const status = new Hono<AppEnv>();
status.use(async (c, next) => (c.var.deps.config.guests.enabled ? next() : notFound(c)));

status.get("/", (c) => {
  // A guest already looking at a ticket goes straight back to it.
  if (c.var.guest) return c.redirect(`/tickets/${c.var.guest.ticketId}`, 303);
  return c.render(<StatusLookupPage values={{}} />, { title: c.var.i18n.t("status.title") });
});

const lookup = z.object({
  number: z
    .string()
    .trim()
    .transform((v) => v.replace(/^#/, ""))
    .pipe(z.string().regex(/^[0-9]{1,9}$/, msg("status.numberInvalid"))),
  code: z
    .string()
    .transform(normaliseCode)
    .pipe(z.string().regex(/^[A-Z0-9]{8}$/, msg("status.codeInvalid"))),
});

status.post("/", async (c) => {
  const form = await readForm(c, lookup);
  const answer = (errors: FieldErrors) => {
    c.status(422);
    const values = { number: form.values.number, code: form.values.code };
    if (isPartial(c)) return fragment(c, <LookupForm values={values} errors={errors} />);
    return c.render(<StatusLookupPage values={values} errors={errors} />, { title: c.var.i18n.t("status.title") });
  };
  if (!form.ok) return answer(form.errors);
  const found = await lookUpGuestTicket(c.var.deps, Number(form.data.number), form.data.code, requestMeta(c));
  if (!found.ok && found.retryAt) return tooManyAttempts(c, found.retryAt);
  // One answer for a wrong number and a wrong code, next to the code.
  if (!found.ok) return answer({ code: c.var.i18n.t("status.noMatch") });
  const ticket = await c.var.deps.db.ticket.findUniqueOrThrow({ where: { id: found.ticketId } });
  startGuestSession(c, ticket.id, ticket.accessCode!);
  return seeOther(c, `/tickets/${ticket.id}`);
});

status.post("/leave", (c) => {
  endGuestSession(c);
  // As signing out does: the browser forgets what it kept of the ticket (cached pages and files,
  // cookies), and the home page, whole (with htmx too), says so (a flash cookie would go too).
  c.header("Clear-Site-Data", '"cache", "cookies", "storage"');
  return wholePage(c, "/?finished");
});
