import { useT } from "../../src/i18n/view.js";
import { priorityOptions, statusOptions } from "../../src/i18n/words.js";
import type { TicketDetail } from "../../src/tickets/find.js";
import { PRIORITIES } from "../../src/tickets/model.js";
import { PriorityBadge, StatusBadge } from "../components/badges.js";
import { TargetState } from "../components/due.js";
import { PostForm } from "../components/post-form.js";
import { SelectField } from "../components/select.js";
import { useStatuses } from "../components/statuses.js";
import { Time } from "../components/time.js";

export type StaffOption = { id: number; name: string };
export type Viewer = { id: number; staff: boolean };

type Props = {
  ticket: TicketDetail;
  viewer: Viewer;
  staff: StaffOption[];
  notice?: string;
  oob?: boolean;
  /** The action whose button had the focus: after an in-place change it gets it back (htmx focuses [autofocus]). */
  focus?: string;
};

/** A small form posting one change to its own resource, carrying the version the person saw. */
function ChangeForm({
  ticket,
  action,
  label,
  id,
  focus,
  children,
}: {
  ticket: TicketDetail;
  action: string;
  label: string;
  id?: string;
  focus?: string;
  children?: unknown;
}) {
  const url = `/tickets/${ticket.id}/${action}`;
  return (
    <PostForm id={id} class="change" action={url} target="ticket-state">
      <input type="hidden" name="version" value={String(ticket.version)} />
      {children as never}
      <button
        type="submit"
        id={`do-${action}`}
        class={action === "close" ? "secondary" : undefined}
        autofocus={focus === action}
      >
        {label}
      </button>
    </PostForm>
  );
}

function CloseOrReopen({ ticket, focus }: { ticket: TicketDetail; focus?: string }) {
  const t = useT();
  return useStatuses().isClosed(ticket.status) ? (
    <ChangeForm ticket={ticket} action="reopen" label={t("ticket.reopen")} focus={focus} />
  ) : (
    <ChangeForm ticket={ticket} action="close" label={t("ticket.close")} focus={focus} />
  );
}

/**
 * The requester's close or reopen, below the reply form: on a new ticket their first button is
 * "Send reply", not "Close ticket". Renewed (out of band) with the ticket's state after every change,
 * so it always carries the version the person sees.
 */
export function ClosureActions({ ticket, focus, oob }: { ticket: TicketDetail; focus?: string; oob?: boolean }) {
  return (
    <div id="ticket-closure" class="closure" data-hx-swap-oob={oob ? "true" : undefined}>
      <p class="hint">{useT()(useStatuses().isClosed(ticket.status) ? "ticket.closedHint" : "ticket.openHint")}</p>
      <CloseOrReopen ticket={ticket} focus={focus} />
    </div>
  );
}

/**
 * Staff: the ticket's tags, each with its own remove button (a POST to the tag's resource), and a
 * box to add one, its suggestions from the page's datalist (#tag-names) of every tag the desk uses.
 */
function Tags({ ticket, focus }: { ticket: TicketDetail; focus?: string }) {
  const t = useT();
  return (
    <div class="tags">
      {ticket.tags.length === 0 ? (
        <span class="meta">{t("tags.none")}</span>
      ) : (
        <ul class="tag-list">
          {ticket.tags.map((tag) => (
            <li>
              <span class="badge tag">{tag.name}</span>
              <PostForm class="inline" action={`/tickets/${ticket.id}/tags/${tag.id}/delete`} target="ticket-state">
                <button type="submit" class="link" aria-label={t("tags.removeNamed", { name: tag.name })}>
                  ×
                </button>
              </PostForm>
            </li>
          ))}
        </ul>
      )}
      <PostForm id="tag-form" class="change" action={`/tickets/${ticket.id}/tags`} target="ticket-state">
        <label for="tag-name">{t("tags.add")}</label>
        <input id="tag-name" name="name" type="text" list="tag-names" maxlength={60} autocomplete="off" />
        <button type="submit" class="secondary" autofocus={focus === "tags"}>
          {t("tags.addButton")}
        </button>
      </PostForm>
    </div>
  );
}

/** Where the ticket stands and what the viewer may do to it; replaced whole after every change. */
export function TicketState({ ticket, viewer, staff, notice, oob, focus }: Props) {
  const t = useT();
  const statuses = useStatuses();
  const closed = statuses.isClosed(ticket.status);
  return (
    <div id="ticket-state" data-hx-swap-oob={oob ? "true" : undefined}>
      {notice && (
        <p class="notice" role="alert">
          {notice}
        </p>
      )}
      <dl class="facts">
        <dt>{t("ticket.status")}</dt>
        <dd>
          <StatusBadge status={ticket.status} staff={viewer.staff} />
          {closed && ticket.closedAt && (
            <span class="meta">
              {" "}
              {t("ticket.since")} <Time date={ticket.closedAt} />
            </span>
          )}
        </dd>
        {viewer.staff && !closed && (
          <>
            <dt>{t("ticket.lastSpoke")}</dt>
            <dd>
              {ticket.lastSpoke === "requester" ? (
                <span class="badge needs-reply">{t("ticket.needsReply")}</span>
              ) : (
                t("ticket.answered")
              )}
            </dd>
          </>
        )}
        <dt>{t("ticket.priority")}</dt>
        <dd>
          <PriorityBadge priority={ticket.priority} />
        </dd>
        <dt>{t("ticket.requester")}</dt>
        <dd>
          <bdi>{ticket.requester.name}</bdi>
          {ticket.guest && <span class="badge guest">{t("ticket.guest")}</span>}
          {viewer.staff && ticket.claimedEmail && (
            <>
              <br />
              <span class="meta">{t("ticket.claimed", { email: ticket.claimedEmail })}</span>
            </>
          )}
        </dd>
        <dt>{t("ticket.assignee")}</dt>
        <dd>{ticket.assignee ? <bdi>{ticket.assignee.name}</bdi> : t("ticket.notAssigned")}</dd>
        {viewer.staff && (
          <>
            <dt>{t("sla.firstResponse")}</dt>
            <dd>
              <TargetState
                due={ticket.firstResponseDueAt}
                done={ticket.firstResponseAt}
                pausedAt={ticket.slaPausedAt}
              />
            </dd>
            <dt>{t("sla.resolution")}</dt>
            <dd>
              <TargetState
                due={ticket.resolutionDueAt}
                done={closed ? ticket.closedAt : null}
                pausedAt={closed ? null : ticket.slaPausedAt}
              />
            </dd>
          </>
        )}
        {viewer.staff && (
          <>
            <dt>{t("tags.label")}</dt>
            <dd>
              <Tags ticket={ticket} focus={focus} />
            </dd>
          </>
        )}
        <dt>{t("ticket.opened")}</dt>
        <dd>
          <Time date={ticket.createdAt} />
        </dd>
        <dt>{t("ticket.updated")}</dt>
        <dd>
          <Time date={ticket.updatedAt} />
        </dd>
      </dl>
      {viewer.staff && (
        <div class="actions">
          <CloseOrReopen ticket={ticket} focus={focus} />
        </div>
      )}
      {viewer.staff && (
        <div class="triage">
          <h2>{t("ticket.triage")}</h2>
          <div class="filters">
            <ChangeForm ticket={ticket} action="triage" label={t("ticket.saveChanges")} id="triage-form" focus={focus}>
              <SelectField
                id="triage-status"
                name="status"
                label={t("ticket.status")}
                options={statusOptions(t, statuses.names())}
                value={ticket.status}
              />
              <SelectField
                id="triage-priority"
                name="priority"
                label={t("ticket.priority")}
                options={priorityOptions(t, PRIORITIES)}
                value={ticket.priority}
              />
              <SelectField
                id="triage-assignee"
                name="assignee"
                label={t("ticket.assignee")}
                options={[
                  ["", t("list.unassigned")],
                  ...staff.map(
                    (s) => [String(s.id), s.id === viewer.id ? t("ticket.me", { name: s.name }) : s.name] as const,
                  ),
                ]}
                value={ticket.assignee ? String(ticket.assignee.id) : ""}
              />
            </ChangeForm>
            {ticket.assignee?.id !== viewer.id && (
              <ChangeForm ticket={ticket} action="assignee" label={t("ticket.assignToMe")}>
                <input type="hidden" name="assignee" value={String(viewer.id)} />
              </ChangeForm>
            )}
          </div>
        </div>
      )}
    </div>
  );
}
