import { Hono } from "hono";
import { z } from "zod";
import type { FieldErrors } from "../../views/components/field.js";
import { GuestTicketPage, ReceiptPage } from "../../views/guest/index.js";
import { HomePage } from "../../views/home/index.js";
import { TicketForm } from "../../views/tickets/_form.js";
import type { AppEnv, Ctx } from "../env.js";
import { hashCode } from "../guests/codes.js";
import { formStamp, openGuestTicket, spendStamp, stampProblem } from "../guests/guests.js";
import { hasGuestCookie, keepReceipt, readReceipt, startGuestSession } from "../http/auth/guest.js";
import { requestMeta } from "../http/auth/middleware.js";
import { notFound, tooManyAttempts } from "../http/errors.js";
import { emailField, type FormValues, readFormWithFiles, text } from "../http/forms.js";
import { refuseForm, seeOther } from "../http/htmx.js";
import { msg } from "../i18n/translate.js";
import { PRIORITIES } from "../tickets/model.js";

// /guest: a ticket without an account, at a kiosk (GUEST_TICKETS, on in KIOSK_MODE), and its
// receipt. Guarded without JavaScript or a third party: a signed time stamp (not under 3 seconds,
// not over an hour), a honeypot field, and a limit per client address.
export const guest = new Hono<AppEnv>();
guest.use(async (c, next) => (c.var.deps.config.guests.enabled ? next() : notFound(c)));

const guestForm = z.object({
  subject: text(z, "subject", 3, 200),
  description: text(z, "description", 10, 10_000),
  priority: z.enum(PRIORITIES, { error: msg("new.priorityInvalid") }).default("Medium"),
  email: z.union([z.literal("").transform(() => undefined), emailField()]).optional(),
  stamp: z.string().max(200).optional(),
  website: z.string().optional(),
});

function answerForm(c: Ctx, values: FormValues, errors: FieldErrors) {
  // A fresh stamp: the person fixing the form is not a robot for taking a while.
  const props = { values, errors, stamp: formStamp(c.var.deps, c.var.csrfToken) };
  const form = <TicketForm values={values} errors={errors} guest={{ stamp: props.stamp }} />;
  return refuseForm(c, 422, <GuestTicketPage {...props} />, c.var.i18n.t("guest.title"), form);
}

guest.get("/", (c) =>
  c.render(<GuestTicketPage values={{}} stamp={formStamp(c.var.deps, c.var.csrfToken)} />, {
    title: c.var.i18n.t("guest.title"),
  }),
);

guest.post("/", async (c) => {
  const { deps } = c.var;
  const form = await readFormWithFiles(c, guestForm);
  const { t } = c.var.i18n;
  // A robot: the honeypot filled in, or no genuine stamp. Nothing is made, and it is not told why.
  const csrf = c.var.csrfToken;
  if (form.values.website || stampProblem(deps, form.values.stamp, csrf) === "bad")
    return answerForm(c, form.values, { form: t("guest.notSent") });
  if (!form.ok) return answerForm(c, form.values, form.errors);
  const problem = stampProblem(deps, form.data.stamp, csrf);
  if (problem === "too fast") return answerForm(c, form.values, { form: t("guest.tooFast") });
  if (problem === "too old") return answerForm(c, form.values, { form: t("guest.tooOld") });
  // Sent again (a double click, a replay): one form, one ticket. This browser's receipt, if it has one.
  if (!(await spendStamp(deps, form.data.stamp!)))
    return c.var.guest ? seeOther(c, "/guest/receipt") : answerForm(c, form.values, { form: t("guest.alreadySent") });
  const { stamp: _s, website: _w, files, ...input } = form.data;
  const opened = await openGuestTicket(deps, input, files, requestMeta(c));
  if (!opened.ok) return tooManyAttempts(c, opened.retryAt);
  startGuestSession(c, opened.id, hashCode(deps.config.authSecret, opened.code));
  keepReceipt(c, opened.id, opened.code);
  return seeOther(c, "/guest/receipt");
});

guest.get("/receipt", async (c) => {
  const receipt = readReceipt(c);
  // Finished here (see /status/leave), or never here: nothing of a ticket on this computer.
  if (!receipt && !hasGuestCookie(c)) {
    c.set("flash", c.var.i18n.t("guest.finished"));
    return c.render(<HomePage guests />, { title: c.var.i18n.t("home.title") });
  }
  // The receipt is this browser's own, for as long as its view of the ticket lasts.
  if (!receipt || c.var.guest?.ticketId !== receipt.ticketId) return c.redirect("/status", 303);
  const base = c.var.deps.config.publicUrl ?? new URL(c.req.url).origin;
  const { claimedEmail } = await c.var.deps.db.ticket.findUniqueOrThrow({
    where: { id: receipt.ticketId },
    select: { claimedEmail: true },
  });
  const props = { ticketId: receipt.ticketId, code: receipt.code, statusUrl: `${base}/status`, claimedEmail };
  return c.render(<ReceiptPage {...props} />, {
    title: c.var.i18n.t("guest.receiptTitle", { id: receipt.ticketId }),
  });
});
