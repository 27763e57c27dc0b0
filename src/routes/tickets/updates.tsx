import { Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "../../env.js";
import { requireUser, userOf } from "../../http/auth/middleware.js";
import { seenMark } from "../../http/forms.js";
import { countNews } from "../../tickets/news.js";
import { answerUpdates, ticketOfUrl } from "./ticket-page.js";

// GET /tickets/:id/updates?seen=N: what others did on the ticket since the page's mark, asked by
// app.js at most once a minute while the tab is in view (never without JS). With `show`, the news
// itself, brought into the page in place.
export const updates = new Hono<AppEnv>();
updates.use(requireUser(), ticketOfUrl);

const query = z.object({ seen: seenMark(), show: z.literal("1").optional().catch(undefined) });

updates.get("/", async (c) => {
  const { seen, show } = query.parse(c.req.query());
  if (seen === undefined) return c.redirect(`/tickets/${c.var.ticket.id}`, 303);
  const count = show ? 0 : await countNews(c.var.deps, userOf(c), c.var.ticket.id, seen);
  // Each answer is about this moment: no cache may keep one.
  c.header("Cache-Control", "no-store");
  return answerUpdates(c, seen, count, Boolean(show));
});
