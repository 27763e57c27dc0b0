import { Hono } from "hono";
import { INBOX_OUTCOMES, type InboxOutcome, InboxPage } from "../../../views/admin/inbox.js";
import type { AppEnv } from "../../env.js";
import { requireUser } from "../../http/auth/middleware.js";
import { parseId } from "../../http/ids.js";
import { logPage } from "../../http/lists.js";
import { can } from "../../users/authorization.js";

// GET /admin/inbox: every email that came in and what became of it, so mail that was fetched but
// made no ticket is never a mystery: ignored (auto-replies, loops) and not taken (too large,
// unreadable) say why.
export const inbox = new Hono<AppEnv>();
inbox.use(requireUser(can.manageUsers));

const PAGE = 50;

inbox.get("/", async (c) => {
  const { db, config } = c.var.deps;
  const query = c.req.query("outcome");
  const outcome = query && query in INBOX_OUTCOMES ? (query as InboxOutcome) : undefined;
  const before = parseId(c.req.query("before")) ?? undefined;
  const [page, groups] = await Promise.all([
    db.inboundMessage.findMany({
      where: { ...(outcome ? { outcome } : {}), ...(before ? { id: { lt: before } } : {}) },
      orderBy: { id: "desc" },
      take: PAGE + 1,
    }),
    db.inboundMessage.groupBy({ by: ["outcome"], _count: { _all: true } }),
  ]);
  const counts = Object.fromEntries(Object.keys(INBOX_OUTCOMES).map((o) => [o, 0])) as Record<InboxOutcome, number>;
  for (const g of groups) if (g.outcome in counts) counts[g.outcome as InboxOutcome] = g._count._all;
  const links = logPage("/admin/inbox", { outcome }, page, PAGE, before);
  const view = { ...links, counts, outcome, receiving: Boolean(config.mail.imap) };
  return c.render(<InboxPage {...view} />, { title: c.var.i18n.t("inbox.title") });
});
