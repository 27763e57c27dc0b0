import { Hono } from "hono";
import { OutboxMessagePage, OutboxPage, OutboxRow } from "../../../views/admin/outbox.js";
import type { AppEnv } from "../../env.js";
import { requireUser } from "../../http/auth/middleware.js";
import { notFound } from "../../http/errors.js";
import { done } from "../../http/htmx.js";
import { parseId } from "../../http/ids.js";
import { logPage } from "../../http/lists.js";
import {
  headersOf,
  OUTBOX_PAGE,
  OUTBOX_STATUSES,
  type OutboxStatus,
  outboxCounts,
  outboxPage,
  tryAgain,
} from "../../mail/outbox.js";
import { can } from "../../users/authorization.js";

// GET /admin/outbox, /admin/outbox/:id and POST /admin/outbox/:id/retry: what email the desk
// sent, is sending, kept or failed to send, and "try again" on a failure.
export const outbox = new Hono<AppEnv>();
outbox.use(requireUser(can.manageUsers));

const statusOf = (value: string | undefined) =>
  OUTBOX_STATUSES.includes(value as OutboxStatus) ? (value as OutboxStatus) : undefined;

outbox.get("/", async (c) => {
  const { db, config } = c.var.deps;
  const status = statusOf(c.req.query("status"));
  const before = parseId(c.req.query("before")) ?? undefined;
  const [page, counts] = await Promise.all([outboxPage(db, status, before), outboxCounts(db)]);
  const links = logPage("/admin/outbox", { status }, page, OUTBOX_PAGE, before);
  const view = { ...links, counts, status, sending: Boolean(config.mail.smtpUrl) };
  return c.render(<OutboxPage {...view} />, { title: c.var.i18n.t("outbox.title") });
});

outbox.get("/:id{[0-9]+}", async (c) => {
  const id = parseId(c.req.param("id"));
  const row = id ? await c.var.deps.db.outboxMessage.findUnique({ where: { id } }) : null;
  if (!row) return notFound(c);
  return c.render(<OutboxMessagePage row={row} headers={headersOf(row)} />, { title: row.subject });
});

outbox.post("/:id{[0-9]+}/retry", async (c) => {
  const { db, clock } = c.var.deps;
  const id = parseId(c.req.param("id"));
  const row = id ? await db.outboxMessage.findUnique({ where: { id } }) : null;
  if (!row) return notFound(c);
  const again = await tryAgain(db, row.id, clock.now());
  const message = again
    ? c.var.i18n.t("outbox.retried", { id: row.id, to: row.toAddress })
    : c.var.i18n.t("outbox.notFailed", { id: row.id });
  return done(c, message, `/admin/outbox/${row.id}`, async () => (
    <OutboxRow row={(await db.outboxMessage.findUnique({ where: { id: row.id } }))!} />
  ));
});
