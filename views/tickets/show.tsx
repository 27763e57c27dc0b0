import { useT } from "../../src/i18n/view.js";
import type { TicketDetail } from "../../src/tickets/find.js";
import type { LinkedTicket } from "../../src/tickets/links.js";
import { lastSeen } from "../../src/tickets/news.js";
import type { FieldErrors } from "../components/field.js";
import { FileList } from "../components/files.js";
import { useStatuses } from "../components/statuses.js";
import { Time } from "../components/time.js";
import { History } from "./_history.js";
import { Related, type RelatedForms } from "./_related.js";
import { ClosureActions, type StaffOption, TicketState, type Viewer } from "./_state.js";
import { type CannedOption, type Held, ReplyForm, Thread, Updates } from "./_thread.js";

export type TicketPageProps = {
  ticket: TicketDetail;
  /** The list view the person came from, filters and all. */
  back: string;
  viewer: Viewer;
  staff: StaffOption[];
  notice?: string;
  /** The reply form (for agents the composer) as it comes back: text, errors, note chosen. */
  /** `seen`: what the form that came back had seen (default: everything this page shows); `held`: a reply held for news. */
  reply?: { value?: string; errors?: FieldErrors; asNote?: boolean; seen?: number; held?: Held };
  /** Staff: the canned replies they may put in the composer. */
  canned?: CannedOption[];
  /** Staff: every tag's name, the suggestions of the add-tag box. */
  tagNames?: string[];
  /** Staff: the tickets linked with this one. */
  links?: LinkedTicket[];
  /** The link or merge form as it comes back. */
  related?: RelatedForms;
  /** Staff: the requester's latest answer to "How did we do?". */
  survey?: { rating: string; comment: string | null; changedAt: Date };
};

export function TicketPage({
  ticket,
  back,
  viewer,
  staff,
  notice,
  reply,
  canned,
  tagNames,
  links,
  related,
  survey,
}: TicketPageProps) {
  const t = useT();
  const seen = reply?.seen ?? lastSeen(ticket.events);
  // Merged into someone else's ticket (its requester's view; everyone else is sent to the survivor):
  // what they wrote, read-only, and what became of it.
  const merged = ticket.mergedIntoId !== null;
  return (
    <article id="ticket">
      {back && (
        <p class="meta">
          <a href={back}>{back.startsWith("/queue") ? t("ticket.backToQueue") : t("ticket.backToMine")}</a>
        </p>
      )}
      <h1>
        <span class="meta">{t("list.ticketNumber", { id: ticket.id })}</span> <bdi>{ticket.subject}</bdi>
      </h1>
      {merged && (
        <p class="notice" id="merged-notice">
          {t("merge.mergedNotice")}
        </p>
      )}
      <TicketState ticket={ticket} viewer={viewer} staff={staff} notice={notice} />
      {survey && (
        <p id="satisfaction">
          <strong>{t("survey.onTicket")}</strong> {survey.rating === "good" ? t("survey.good") : t("survey.bad")}
          {survey.comment && (
            <>
              {" "}
              <q dir="auto">{survey.comment}</q>
            </>
          )}{" "}
          <span class="meta">
            <Time date={survey.changedAt} />
          </span>
        </p>
      )}
      {links && !merged && <Related ticketId={ticket.id} version={ticket.version} links={links} forms={related} />}
      <h2>{t("ticket.description")}</h2>
      <div class="description" dir="auto">
        {ticket.description}
      </div>
      <FileList ticketId={ticket.id} files={ticket.attachments} />
      <h2>{t("ticket.conversation")}</h2>
      <Thread replies={ticket.replies} />
      {/* Said only when true: a stylesheet hiding it would leave it for Lynx and screen readers. */}
      {!ticket.replies.length && (
        <p id="no-replies" class="meta">
          {t("ticket.noReplies")}
        </p>
      )}
      {!merged && <Updates ticketId={ticket.id} seen={seen} />}
      {!merged && (
        <ReplyForm
          ticketId={ticket.id}
          seen={seen}
          held={reply?.held}
          value={reply?.value}
          errors={reply?.errors}
          reopens={useStatuses().isClosed(ticket.status) && ticket.requesterId === viewer.id}
          asNote={reply?.asNote}
          canned={canned}
        />
      )}
      {!viewer.staff && !merged && <ClosureActions ticket={ticket} />}
      <History events={ticket.events} />
      {tagNames && (
        <datalist id="tag-names">
          {tagNames.map((name) => (
            <option value={name} />
          ))}
        </datalist>
      )}
    </article>
  );
}
