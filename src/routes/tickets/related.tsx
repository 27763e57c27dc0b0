import { Hono } from "hono";
import { History } from "../../../views/tickets/_history.js";
import { Related, type RelatedForms } from "../../../views/tickets/_related.js";
import type { AppEnv, Ctx } from "../../env.js";
import { requireUser, userOf } from "../../http/auth/middleware.js";
import { setFlash } from "../../http/flash.js";
import { formValues } from "../../http/forms.js";
import { done, fragment, isPartial, seeOther } from "../../http/htmx.js";
import { parseId } from "../../http/ids.js";
import { findTicket } from "../../tickets/find.js";
import { type LinkOutcome, linkedTickets, linkTickets, unlinkTickets } from "../../tickets/links.js";
import { mergeTickets } from "../../tickets/merge.js";
import { answerStale, renderTicketPage, staffOnly, ticketOfUrl } from "./ticket-page.js";

// POST /tickets/:id/links (number): link another ticket; POST /tickets/:id/links/:other/delete:
// remove the link; POST /tickets/:id/merge (into, version, confirm): merge this ticket into
// another. Staff only. A number that is no ticket, or this one, comes back by its box (422).
// Mounted at /tickets/:id itself, so its guards go on its own paths, not on everything below.
export const related = new Hono<AppEnv>();
for (const path of ["/links", "/links/*", "/merge"]) related.use(path, requireUser(), ticketOfUrl, staffOnly);

/** A ticket number as typed: "12" or "#12"; null for anything else. */
const numberOf = (typed: string | undefined) => parseId((typed ?? "").trim().replace(/^#/, ""));

/** The ticket page again with one of the forms sent back (422 or a merge to confirm): in place or whole. */
async function answerForm(c: Ctx, status: 200 | 422, forms: RelatedForms) {
  c.status(status);
  if (isPartial(c) && forms.link) return fragment(c, <RelatedOf c={c} forms={forms} />);
  return renderTicketPage(c, { related: forms });
}

function RelatedOf({ c, forms, oob }: { c: Ctx; forms?: RelatedForms; oob?: boolean }) {
  return linkedTickets(c.var.deps, c.var.ticket.id).then((links) => (
    <Related ticketId={c.var.ticket.id} version={c.var.ticket.version} links={links} forms={forms} oob={oob} />
  ));
}

/** After a link or its removal: the section and the history in place, or back to the ticket. */
function answerLink(c: Ctx, message: string) {
  return done(c, message, `/tickets/${c.var.ticket.id}#related`, async () => {
    const ticket = (await findTicket(c.var.deps, userOf(c), c.var.ticket.id))!;
    c.set("ticket", ticket);
    return (
      <>
        <RelatedOf c={c} />
        <History events={ticket.events} oob />
      </>
    );
  });
}

const linkError = (c: Ctx, outcome: LinkOutcome, other: number) => {
  const { t } = c.var.i18n;
  return outcome === "self" ? t("related.self") : t("related.missing", { id: other });
};

related.post("/links", async (c) => {
  const { t } = c.var.i18n;
  const typed = (await formValues(c)).number;
  const other = numberOf(typed);
  if (!other) return answerForm(c, 422, { link: { value: typed, error: t("related.number") } });
  const outcome = await linkTickets(c.var.deps, userOf(c), c.var.ticket.id, other);
  if (outcome === "missing" || outcome === "self")
    return answerForm(c, 422, { link: { value: typed, error: linkError(c, outcome, other) } });
  return answerLink(c, t(outcome === "done" ? "related.linked" : "related.already", { id: other }));
});

related.post("/links/:other{[0-9]+}/delete", async (c) => {
  const other = parseId(c.req.param("other"));
  if (!other) return c.notFound();
  const outcome = await unlinkTickets(c.var.deps, userOf(c), c.var.ticket.id, other);
  if (outcome !== "done") return c.notFound();
  return answerLink(c, c.var.i18n.t("related.unlinked", { id: other }));
});

related.post("/merge", async (c) => {
  const { t } = c.var.i18n;
  const values = await formValues(c);
  const typed = values.into;
  const into = numberOf(typed);
  const version = parseId(values.version ?? "") ?? undefined;
  const refuse = (error: string) => answerForm(c, 422, { merge: { value: typed, error } });
  if (!into) return refuse(t("related.number"));
  const outcome = await mergeTickets(c.var.deps, userOf(c), c.var.ticket.id, into, {
    version,
    confirmed: values.confirm === "yes",
  });
  switch (outcome.outcome) {
    case "self":
      return refuse(t("merge.self"));
    case "missing":
      return refuse(t("related.missing", { id: into }));
    case "merged":
      return refuse(t("merge.mergedAlready", { id: into, into: outcome.into }));
    case "stale":
      return answerStale(c);
    case "confirm": {
      const confirm = { ...outcome.survivor, otherRequester: outcome.otherRequester };
      return answerForm(c, 200, { merge: { value: typed, confirm } });
    }
    case "done":
      setFlash(c, t("merge.done", { id: c.var.ticket.id, into }));
      return seeOther(c, `/tickets/${outcome.survivorId}`);
  }
});
