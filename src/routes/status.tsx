import { Hono } from "hono";
import { z } from "zod";
import type { FieldErrors } from "../../views/components/field.js";
import { LookupForm, StatusLookupPage } from "../../views/guest/index.js";
import type { AppEnv } from "../env.js";
import { normaliseCode } from "../guests/codes.js";
import { lookUpGuestTicket } from "../guests/guests.js";
import { endGuestSession, RECEIPT_PATH, startGuestSession } from "../http/auth/guest.js";
import { requestMeta } from "../http/auth/middleware.js";
import { notFound } from "../http/errors.js";
import { formValues, readForm } from "../http/forms.js";
import { refuseForm, seeOther, wholePage } from "../http/htmx.js";
import { msg } from "../i18n/translate.js";

// /status: a guest ticket by its number and access code; /status/leave ends the guest's view.
export const status = new Hono<AppEnv>();
status.use(async (c, next) => (c.var.deps.config.guests.enabled ? next() : notFound(c)));

status.get("/", (c) => {
  // A guest already looking at a ticket goes straight back to it.
  if (c.var.guest) return c.redirect(`/tickets/${c.var.guest.ticketId}`, 303);
  // A reply kept when the view ran out of time: its id goes with the form, to the ticket after.
  const draft = draftId(c.req.query("draft"));
  return c.render(<StatusLookupPage values={{ draft }} />, { title: c.var.i18n.t("status.title") });
});

/** A kept reply's id as drafts are named (a UUID); anything else is dropped. */
const draftId = (value: string | undefined) => (value && /^[0-9a-f-]{36}$/.test(value) ? value : undefined);

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
  const answer = (errors: FieldErrors, status: 422 | 429 = 422) => {
    const values = { number: form.values.number, code: form.values.code, draft: draftId(form.values.draft) };
    const page = <StatusLookupPage values={values} errors={errors} />;
    return refuseForm(c, status, page, c.var.i18n.t("status.title"), <LookupForm values={values} errors={errors} />);
  };
  if (!form.ok) return answer(form.errors);
  const number = Number(form.data.number);
  // The guest already looking at this ticket in this browser needs no look-up.
  if (c.var.guest?.ticketId === number) return seeOther(c, `/tickets/${number}`);
  const found = await lookUpGuestTicket(c.var.deps, number, form.data.code, requestMeta(c));
  if (!found.ok && found.retryAt) {
    // Paced, not locked out: the form stays, with how long to wait next to the code.
    const seconds = Math.max(1, Math.ceil((found.retryAt.getTime() - c.var.deps.clock.now().getTime()) / 1000));
    c.header("Retry-After", String(seconds));
    return answer({ code: c.var.i18n.t("status.wait", { seconds }) }, 429);
  }
  // One answer for a wrong number and a wrong code, next to the code.
  if (!found.ok) return answer({ code: c.var.i18n.t("status.noMatch") });
  const ticket = await c.var.deps.db.ticket.findUniqueOrThrow({ where: { id: found.ticketId } });
  startGuestSession(c, ticket.id, ticket.accessCode!);
  const draft = draftId(form.values.draft);
  return seeOther(c, `/tickets/${ticket.id}${draft ? `?draft=${draft}` : ""}`);
});

status.post("/leave", async (c) => {
  endGuestSession(c);
  // As signing out does: the browser forgets what it kept of the ticket (cached pages and files,
  // cookies), and the home page, whole (with htmx too), says so (a flash cookie would go too).
  c.header("Clear-Site-Data", '"cache", "cookies", "storage"');
  // Finished on the receipt: the answer is the receipt's own address, which now says it is safe to
  // leave. Browsers that keep pages in memory and ignore Clear-Site-Data (Lynx) replace a page
  // that answers with its own address, so Back cannot show the code again (tests/lynx).
  const { from } = await formValues(c);
  return wholePage(c, from === "receipt" ? RECEIPT_PATH : "/?finished");
});
