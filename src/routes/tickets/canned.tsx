import { Hono } from "hono";
import { ReplyForm } from "../../../views/tickets/_thread.js";
import { fill, usableCanned } from "../../canned/replies.js";
import type { AppEnv } from "../../env.js";
import { requireUser, userOf } from "../../http/auth/middleware.js";
import { formValues, seenMark } from "../../http/forms.js";
import { fragment, isPartial } from "../../http/htmx.js";
import { parseId } from "../../http/ids.js";
import { cannedOptions, renderTicketPage, seenOf, staffOnly, ticketOfUrl } from "./ticket-page.js";

// POST /tickets/:id/canned: the composer sent here by "Insert after my text" or "Replace my text".
// Nothing is saved or sent: the page (with htmx, the composer) comes back with the canned reply's
// text filled for this ticket, after what was typed or instead of it, the reply or note choice kept.
export const cannedInsert = new Hono<AppEnv>();
cannedInsert.use(requireUser(), ticketOfUrl, staffOnly);

/** The most a reply may hold (the composer's limit): a long text and a long canned reply are cut there. */
const MAX = 10_000;

cannedInsert.post("/", async (c) => {
  const { deps, i18n, ticket } = c.var;
  const me = userOf(c);
  const values = await formValues(c);
  const typed = values.body ?? "";
  const asNote = (values.kind ?? "") === "note";
  const id = parseId(values.canned ?? "");
  const chosen = id === null ? null : await usableCanned(deps, me, id);
  const canned = await cannedOptions(c);
  // The composer's mark goes back as it came: inserting a canned reply shows nothing new.
  const seen = seenOf(c, seenMark().parse(values.seen));
  const answer = (value: string, errors?: Record<string, string>) => {
    if (errors) c.status(422);
    if (isPartial(c))
      return fragment(
        c,
        <ReplyForm ticketId={ticket.id} seen={seen} value={value} errors={errors} asNote={asNote} canned={canned} />,
      );
    return renderTicketPage(c, { reply: { value, errors, asNote, seen } });
  };
  if (!chosen) return answer(typed, { canned: i18n.t("canned.chooseOne") });
  const text = fill(chosen.body, {
    requesterName: ticket.requester.name,
    ticketId: ticket.id,
    subject: ticket.subject,
    agentName: me.name,
    desk: deps.config.mail.from.name,
  });
  const value = values.mode === "replace" || !typed.trim() ? text : `${typed.trimEnd()}\n\n${text}`;
  return answer(value.slice(0, MAX));
});
