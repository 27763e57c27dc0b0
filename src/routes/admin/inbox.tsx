import { Hono } from "hono";
import type { AppEnv } from "../../env.js";
import { can } from "../../lib/authorization.js";
import { requireUser } from "../../lib/auth/middleware.js";
import { parseId } from "../../lib/ids.js";
import { INBOX_OUTCOMES, type InboxOutcome, InboxPage } from "../../../views/admin/inbox.js";

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
  const rows = page.slice(0, PAGE);
  const url = (extra: Record<string, string>) =>
    `/admin/inbox?${new URLSearchParams({ ...(outcome ? { outcome } : {}), ...extra })}`.replace(/\?$/, "");
  const view = {
    rows,
    counts,
    outcome,
    olderUrl: page.length > PAGE ? url({ before: String(rows.at(-1)!.id) }) : undefined,
    newestUrl: before ? url({}) : undefined,
    receiving: Boolean(config.mail.imap),
  };
  return c.render(<InboxPage {...view} />, { title: "Incoming mail" });
});
