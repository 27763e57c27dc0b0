import { Hono } from "hono";
import { z } from "zod";
import type { AppEnv, Ctx } from "../env.js";
import { can } from "../lib/authorization.js";
import { requireUser } from "../lib/auth/middleware.js";
import { readForm } from "../lib/forms.js";
import { changeTicket, PRIORITIES, StaleTicketError, STATUSES, type TicketDetail } from "../lib/tickets.js";
import { addToThread, answerChange, answerNotice, answerStale, loadTicket } from "./ticket-response.js";
import { renderError } from "../lib/errors.js";

// Agents' changes to a ticket: each a POST to its own small resource, enhanced in place.
export const triage = new Hono<AppEnv>();
triage.use("/tickets/*", requireUser());

const version = z.coerce.number().int().positive().optional().catch(undefined);

/** The ticket for a staff-only action: 404 if the caller cannot see it, 403 if they may not act. */
async function staffTicket(c: Ctx): Promise<TicketDetail | Response> {
  const ticket = await loadTicket(c);
  if (!ticket) return c.notFound();
  if (!can.triageTicket(c.var.user!)) return renderError(c, 403, "Not allowed", "Only agents can change this.");
  return ticket;
}

/** Loads, checks, validates and applies one field change with its history event. */
function fieldChange<S extends z.ZodType<{ version?: number }>>(
  schema: S,
  apply: (
    ticket: TicketDetail,
    data: z.infer<S>,
    c: Ctx,
  ) => Promise<{
    data: Record<string, unknown>;
    kind: string;
    from: string | null;
    to: string | null;
    message: string;
  } | null>,
) {
  return async (c: Ctx) => {
    const ticket = await staffTicket(c);
    if (ticket instanceof Response) return ticket;
    const form = await readForm(c, schema);
    if (!form.ok)
      return answerNotice(
        c,
        422,
        () => `Nothing was changed: ${Object.values(form.errors)[0] ?? "check the form and try again."}`,
      );
    const change = await apply(ticket, form.data, c);
    if (!change)
      return answerNotice(c, 422, () => "Nothing was changed: choose someone who is an active agent or admin.");
    if (change.from === change.to) return answerChange(c, "Nothing changed.");
    try {
      await changeTicket(c.var.deps.db, ticket.id, form.data.version, change.data, {
        actorId: c.var.user!.id,
        kind: change.kind,
        fromValue: change.from,
        toValue: change.to,
      });
    } catch (error) {
      if (error instanceof StaleTicketError) return answerStale(c);
      throw error;
    }
    return answerChange(c, change.message);
  };
}

triage.post(
  "/tickets/:id{[0-9]+}/status",
  fieldChange(
    z.object({ status: z.enum(STATUSES, { error: "Choose a status." }), version }),
    async (t, { status }) => ({
      data: { status, closedAt: status === "Closed" ? new Date() : null },
      kind: "status",
      from: t.status,
      to: status,
      message: `Status set to ${status}.`,
    }),
  ),
);

triage.post(
  "/tickets/:id{[0-9]+}/priority",
  fieldChange(
    z.object({ priority: z.enum(PRIORITIES, { error: "Choose a priority." }), version }),
    async (t, { priority }) => ({
      data: { priority },
      kind: "priority",
      from: t.priority,
      to: priority,
      message: `Priority set to ${priority}.`,
    }),
  ),
);

triage.post(
  "/tickets/:id{[0-9]+}/assignee",
  fieldChange(
    z.object({ assignee: z.union([z.literal(""), z.coerce.number().int().positive()]).catch(-1), version }),
    async (t, { assignee }, c) => {
      if (assignee === -1) return null;
      const to =
        assignee === ""
          ? null
          : await c.var.deps.db.user.findFirst({
              where: { id: assignee, role: { in: ["agent", "admin"] }, disabledAt: null },
              select: { id: true, name: true },
            });
      if (assignee !== "" && !to) return null;
      return {
        data: { assigneeId: to?.id ?? null },
        kind: "assignee",
        from: t.assignee?.name ?? null,
        to: to?.name ?? null,
        message: to ? `Assigned to ${to.id === c.var.user!.id ? "you" : to.name}.` : "The ticket is unassigned.",
      };
    },
  ),
);

triage.post("/tickets/:id{[0-9]+}/notes", async (c) => {
  const ticket = await staffTicket(c);
  return ticket instanceof Response ? ticket : addToThread(c, ticket, "notes");
});
