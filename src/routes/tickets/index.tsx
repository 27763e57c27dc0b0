import { Hono } from "hono";
import { z } from "zod";
import { TicketForm } from "../../../views/tickets/_form.js";
import { TicketResults } from "../../../views/tickets/_results.js";
import { EmptyState, TicketsPage } from "../../../views/tickets/index.js";
import { NewTicketPage } from "../../../views/tickets/new.js";
import type { AppEnv, Ctx } from "../../env.js";
import { requireUser, userOf } from "../../http/auth/middleware.js";
import { takeDraft } from "../../http/drafts.js";
import { setFlash } from "../../http/flash.js";
import { readFormWithFiles, searchText, statusFilter, text } from "../../http/forms.js";
import { fragment, isPartial, refuseForm, seeOther } from "../../http/htmx.js";
import { rememberList } from "../../http/last-list.js";
import { firstPageUrl, listUrl, moreRows, nextPageUrl, wantsRows } from "../../http/lists.js";
import { msg } from "../../i18n/translate.js";
import { csvAnswer, exportCsv, exportName } from "../../tickets/export.js";
import { listTickets } from "../../tickets/list.js";
import { PRIORITIES } from "../../tickets/model.js";
import { newFormToken, openTicket } from "../../tickets/open.js";
import { isStaff } from "../../users/authorization.js";
import { renderTicketPage, ticketOfUrl } from "./ticket-page.js";

// /tickets: a requester's own tickets, the new-ticket form, and one ticket's page.
export const tickets = new Hono<AppEnv>();
tickets.use(requireUser());

const listQuery = z.object({
  q: searchText(),
  status: statusFilter(),
  cursor: z.string().max(40).optional().catch(undefined),
});

tickets.get("/", async (c) => {
  const query = listQuery.parse(c.req.query());
  const closed = c.var.statuses.ofKind("closed");
  const filters = { requesterId: userOf(c).id, status: query.status, q: query.q, closed };
  const { tickets: rows, next } = await listTickets(c.var.deps, filters, query.cursor);
  const nextUrl = nextPageUrl("/tickets", query, next);
  const firstUrl = firstPageUrl("/tickets", query);
  if (wantsRows(c)) return moreRows(c, rows, nextUrl);
  rememberList(c);
  if (isPartial(c)) {
    const empty = <EmptyState query={query} />;
    return fragment(c, <TicketResults tickets={rows} nextUrl={nextUrl} firstUrl={firstUrl} empty={empty} />);
  }
  return c.render(<TicketsPage tickets={rows} nextUrl={nextUrl} firstUrl={firstUrl} query={query} />, {
    title: c.var.i18n.t("list.title"),
  });
});

/** GET /tickets/export.csv?q&status: the person's own tickets (as the list filters them), as CSV. */
tickets.get("/export.csv", (c) => {
  const query = listQuery.parse(c.req.query());
  const closed = c.var.statuses.ofKind("closed");
  const filters = { requesterId: userOf(c).id, status: query.status, q: query.q, closed };
  // The filters as a query string ("?q=..." less its "?"), for the file name.
  const view = listUrl("", { q: query.q, status: query.status }).slice(1);
  const name = exportName("tickets", view, c.var.deps.clock.now());
  return csvAnswer(exportCsv(c.var.deps, filters, c.var.i18n, false), name);
});

const survivorRequester = async (c: Ctx, id: number) =>
  (await c.var.deps.db.ticket.findUnique({ where: { id }, select: { requesterId: true } }))?.requesterId;

/** What the person typed before their session ended (`?draft=`), back in the form it came from, once. */
async function restoreDraft(c: Ctx) {
  const draft = await takeDraft(c.var.deps, userOf(c).id, c.req.path, c.req.query("draft"));
  if (Object.keys(draft).length) c.set("flash", c.var.i18n.t("new.draftBack"));
  return draft;
}

tickets.get("/new", async (c) => {
  const draft = await restoreDraft(c);
  return c.render(<NewTicketPage values={{ ...draft, form_token: newFormToken() }} />, {
    title: c.var.i18n.t("new.title"),
  });
});

const ticketForm = z.object({
  subject: text(z, "subject", 3, 200),
  description: text(z, "description", 10, 10_000),
  priority: z.enum(PRIORITIES, { error: msg("new.priorityInvalid") }).default("Medium"),
  form_token: z
    .string()
    .regex(/^[A-Za-z0-9_-]{16,64}$/)
    .optional()
    .catch(undefined),
  /** The person saw that they opened the same ticket a moment ago, and wants another anyway. */
  again: z.literal("1").optional().catch(undefined),
});

tickets.post("/", async (c) => {
  const form = await readFormWithFiles(c, ticketForm);
  if (!form.ok) {
    // Nothing is saved: the text comes back as typed, with a message next to each field at fault.
    const values = { ...form.values, form_token: form.values.form_token || newFormToken() };
    const page = <NewTicketPage values={values} errors={form.errors} />;
    return refuseForm(c, 422, page, c.var.i18n.t("new.title"), <TicketForm values={values} errors={form.errors} />);
  }
  const { form_token, again, files, ...input } = form.data;
  const { id, duplicate, twin } = await openTicket(c.var.deps, userOf(c), input, form_token, {
    askIfRepeated: !again,
    files,
  });
  if (twin) {
    // Not a second submission of one form (that has the same token), but the same text again:
    // say so, with the way to the first and a button to open another anyway.
    c.status(409);
    const values = { ...form.values, form_token: form_token || newFormToken() };
    if (isPartial(c)) return fragment(c, <TicketForm values={values} twin={twin} />);
    return c.render(<NewTicketPage values={values} twin={twin} />, { title: c.var.i18n.t("new.title") });
  }
  setFlash(c, c.var.i18n.t(duplicate ? "new.alreadySent" : "new.opened", { id }));
  return seeOther(c, `/tickets/${id}`);
});

tickets.get("/:id{[0-9]+}", ticketOfUrl, async (c) => {
  const { ticket } = c.var;
  // A merged ticket's URL leads to the survivor, for staff and for the one requester of both; the
  // requester of a ticket merged into someone else's keeps their own page (they may not see that one).
  if (ticket.mergedIntoId !== null) {
    const into = await survivorRequester(c, ticket.mergedIntoId);
    if (isStaff(c.var.user) || (!c.var.guest && into === userOf(c).id)) {
      setFlash(c, c.var.i18n.t("merge.leadsTo", { id: ticket.id, into: ticket.mergedIntoId }));
      return c.redirect(`/tickets/${ticket.mergedIntoId}`, 303);
    }
  }
  const draft = await restoreDraft(c);
  // The composer's text comes back with "Internal note" still chosen when it was.
  return renderTicketPage(c, { reply: { value: draft.body, asNote: draft.kind === "note" } });
});
