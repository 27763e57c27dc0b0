import { Hono } from "hono";
import { z } from "zod";
import type { AppEnv, Ctx } from "../env.js";
import { can } from "../lib/authorization.js";
import { requireUser } from "../lib/auth/middleware.js";
import { setFlash } from "../lib/flash.js";
import { readForm, searchText, text } from "../lib/forms.js";
import { fragment, isPartial, seeOther } from "../lib/htmx.js";
import {
  changeTicket,
  createTicket,
  listTickets,
  newFormToken,
  PRIORITIES,
  StaleTicketError,
  STATUS_FILTERS,
} from "../lib/tickets.js";
import { TicketsPage } from "../../views/tickets/index.js";
import { NewTicketPage } from "../../views/tickets/new.js";
import { TicketForm } from "../../views/tickets/_form.js";
import { Pager, TicketResults, TicketRows } from "../../views/tickets/_results.js";
import { addToThread, answerChange, answerStale, loadTicket, renderTicketPage } from "./ticket-response.js";
import { takeDraft } from "../lib/drafts.js";

export const tickets = new Hono<AppEnv>();
tickets.use("/tickets", requireUser());
tickets.use("/tickets/*", requireUser());

const listQuery = z.object({
  q: searchText(),
  status: z.enum(STATUS_FILTERS).optional().catch(undefined),
  cursor: z.string().max(40).optional().catch(undefined),
});

/** The URL of the next page: the same filters, the cursor after the last row. */
export function nextPageUrl(path: string, query: Record<string, string | undefined>, next?: string) {
  if (!next) return undefined;
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v && k !== "cursor") params.set(k, v);
  params.set("cursor", next);
  return `${path}?${params}`;
}

/** What the person typed before their session ended (`?draft=`), back in the form it came from, once. */
async function restoreDraft(c: Ctx) {
  const draft = await takeDraft(c.var.deps, c.var.user!.id, c.req.path, c.req.query("draft"));
  if (Object.keys(draft).length)
    c.set("flash", "Here is what you wrote before you were signed out. Check it and send it.");
  return draft;
}

/** Whether this htmx request asks for more rows (the pager) rather than the whole results. */
export const wantsRows = (c: Ctx) => isPartial(c) && (c.req.header("HX-Target") ?? "").endsWith("#ticket-rows");

tickets.get("/tickets", async (c) => {
  const query = listQuery.parse(c.req.query());
  const { tickets: rows, next } = await listTickets(
    c.var.deps,
    { requesterId: c.var.user!.id, status: query.status, q: query.q },
    query.cursor,
  );
  const nextUrl = nextPageUrl("/tickets", query, next);
  if (wantsRows(c))
    return fragment(
      c,
      <>
        <TicketRows tickets={rows} />
        <Pager nextUrl={nextUrl} oob />
      </>,
    );
  if (isPartial(c)) {
    return fragment(
      c,
      <TicketResults tickets={rows} nextUrl={nextUrl} empty={<p class="empty">No tickets match.</p>} />,
    );
  }
  return c.render(<TicketsPage tickets={rows} nextUrl={nextUrl} query={query} />, { title: "My tickets" });
});

tickets.get("/tickets/new", async (c) => {
  const draft = await restoreDraft(c);
  return c.render(<NewTicketPage values={{ ...draft, form_token: newFormToken() }} />, { title: "Open a ticket" });
});

const ticketForm = z.object({
  subject: text(z, "a subject", 3, 200),
  description: text(z, "a description", 10, 10_000),
  priority: z.enum(PRIORITIES, { error: "Choose Low, Medium, High or Urgent." }).default("Medium"),
  form_token: z
    .string()
    .regex(/^[A-Za-z0-9_-]{16,64}$/)
    .optional()
    .catch(undefined),
});

tickets.post("/tickets", async (c) => {
  const form = await readForm(c, ticketForm);
  if (!form.ok) {
    c.status(422);
    const values = { ...form.values, form_token: form.values.form_token || newFormToken() };
    if (isPartial(c)) return fragment(c, <TicketForm values={values} errors={form.errors} />);
    return c.render(<NewTicketPage values={values} errors={form.errors} />, { title: "Open a ticket" });
  }
  const { form_token, ...input } = form.data;
  const { id, duplicate } = await createTicket(c.var.deps, c.var.user!, input, form_token);
  setFlash(
    c,
    duplicate ? `That form was already sent: here is ticket #${id}.` : `Ticket #${id} is open. We will answer here.`,
  );
  return seeOther(c, `/tickets/${id}`);
});

tickets.get("/tickets/:id{[0-9]+}", async (c) => {
  const ticket = await loadTicket(c);
  if (!ticket) return c.notFound();
  const draft = await restoreDraft(c);
  return renderTicketPage(c, ticket, { reply: { value: draft.body }, note: { value: draft.note } });
});

tickets.post("/tickets/:id{[0-9]+}/replies", async (c) => {
  const ticket = await loadTicket(c);
  if (!ticket || !can.replyToTicket(c.var.user!, ticket)) return c.notFound();
  return addToThread(c, ticket, "replies");
});

const versionForm = z.object({ version: z.coerce.number().int().positive().optional().catch(undefined) });

/** Close and reopen: requesters on their own tickets, staff on any. */
function closeOrReopen(action: "close" | "reopen") {
  return async (c: Ctx) => {
    const user = c.var.user!;
    const ticket = await loadTicket(c);
    const allowed = ticket && (action === "close" ? can.closeTicket(user, ticket) : can.reopenTicket(user, ticket));
    if (!ticket || !allowed) return c.notFound();
    const form = await readForm(c, versionForm);
    const to = action === "close" ? "Closed" : "Open";
    if ((ticket.status === "Closed") === (action === "close")) {
      return answerChange(c, `Ticket #${ticket.id} is already ${ticket.status.toLowerCase()}.`);
    }
    try {
      await changeTicket(
        c.var.deps.db,
        ticket.id,
        form.ok ? form.data.version : undefined,
        { status: to, closedAt: action === "close" ? new Date() : null },
        {
          actorId: user.id,
          kind: "status",
          fromValue: ticket.status,
          toValue: to,
        },
      );
    } catch (error) {
      if (error instanceof StaleTicketError) return answerStale(c);
      throw error;
    }
    return answerChange(
      c,
      action === "close"
        ? `Ticket #${ticket.id} is closed. Reopen it if the problem comes back.`
        : `Ticket #${ticket.id} is open again.`,
    );
  };
}

tickets.post("/tickets/:id{[0-9]+}/close", closeOrReopen("close"));
tickets.post("/tickets/:id{[0-9]+}/reopen", closeOrReopen("reopen"));
