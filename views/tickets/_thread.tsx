import { useRequestContext } from "hono/jsx-renderer";
import type { AppEnv } from "../../src/env.js";
import { useI18n, useT } from "../../src/i18n/view.js";
import type { TicketDetail } from "../../src/tickets/find.js";
import { updatesIn } from "../../src/tickets/news.js";
import { isStaff } from "../../src/users/authorization.js";
import { Field, type FieldErrors } from "../components/field.js";
import { FileField, FileList } from "../components/files.js";
import { PostForm } from "../components/post-form.js";
import { Time } from "../components/time.js";
import { EventWords } from "./_history.js";

type ReplyRow = TicketDetail["replies"][number];
type EventRow = TicketDetail["events"][number];

/**
 * A public reply held because others answered or changed the ticket since the page was loaded
 * (src/tickets/news.ts): what came in, and the button that sends the text anyway, as the button the
 * person pressed would have (`again`: its name and value).
 */
export type Held = { news: EventRow[]; again?: [string, string]; filesLost?: boolean };

/** The last history event the page showed, carried by the reply form (renewed out of band by "Show"). */
export const SeenField = ({ seen, oob }: { seen: number; oob?: boolean }) => (
  <input type="hidden" id="reply-seen" name="seen" value={String(seen)} data-hx-swap-oob={oob ? "true" : undefined} />
);

function HeldNotice({ held }: { held: Held }) {
  const t = useT();
  const [name, value] = held.again ?? [];
  return (
    <div id="held" class="held" role="alert" tabindex={-1} autofocus>
      <p>
        <strong>{t("collision.title", { count: updatesIn(held.news) })}</strong>
      </p>
      <ul>
        {held.news.map((e) => (
          <li>
            <Time date={e.createdAt} /> · <bdi>{e.actor.name}</bdi> <EventWords event={e} />
            {e.internal && ` ${t("ticket.internal")}`}
          </li>
        ))}
      </ul>
      <p>
        {t("collision.hint")} <a href="#thread">{t("collision.read")}</a>
      </p>
      {held.filesLost && <p class="error">{t("collision.files")}</p>}
      <div class="actions">
        <button type="submit" name={name} value={value}>
          {t("collision.send")}
        </button>
      </div>
    </div>
  );
}

/**
 * "2 new updates since you opened this page. Show": JS on, app.js asks `/tickets/:id/updates`
 * for it once a minute while the tab is in view; "Show" brings them into the page in place, the
 * reply form's text untouched. Without JS nothing asks, and it stays empty.
 */
export function Updates({
  ticketId,
  seen,
  count,
  oob,
}: {
  ticketId: number;
  seen: number;
  count?: number;
  oob?: boolean;
}) {
  const t = useT();
  const url = `/tickets/${ticketId}/updates?seen=${seen}`;
  return (
    <div id="updates" class="updates" role="status" data-poll={url} data-hx-swap-oob={oob ? "true" : undefined}>
      {count ? (
        <p>
          {t("updates.count", { count })}{" "}
          <a
            href={`/tickets/${ticketId}#thread`}
            data-hx-get={`${url}&show=1`}
            data-hx-target="#updates"
            data-hx-swap="outerHTML"
          >
            {t("updates.show")}
          </a>
        </p>
      ) : null}
    </div>
  );
}

export function ReplyItem({ reply }: { reply: ReplyRow }) {
  const t = useT();
  return (
    <li id={`reply-${reply.id}`} class={reply.internal ? "internal" : undefined}>
      <p class="meta">
        {reply.internal && <strong>{t("ticket.internalNote")} · </strong>}
        <strong>
          <bdi>{reply.author.name}</bdi>
        </strong>
        {reply.author.role !== "requester" && ` ${t("ticket.support")}`} · <Time date={reply.createdAt} />
        {reply.fromTicketId !== null && reply.fromTicketId !== reply.ticketId && (
          <> · {t(reply.opening ? "thread.openedTicket" : "thread.fromTicket", { id: reply.fromTicketId })}</>
        )}
      </p>
      <div class="reply-body" dir="auto">
        {reply.body}
      </div>
      <FileList ticketId={reply.ticketId} files={reply.attachments} />
      {reply.emailText && reply.emailText.trim() !== reply.body.trim() && <WholeEmail text={reply.emailText} />}
    </li>
  );
}

/**
 * The agents' composer: "Reply to the requester" or "Internal note", one text box, and buttons that
 * say what they do. Choosing the note turns the box the note colour and shows only "Add note"
 * (CSS :has, no script); a browser without :has shows every button, and each still does what it
 * says. "Send and set Waiting" / "Send and close" answer and set the status in one step.
 */
function Composer({
  ticketId,
  seen,
  value,
  errors,
  asNote,
  canned,
  held,
}: {
  ticketId: number;
  seen: number;
  value?: string;
  errors?: FieldErrors;
  asNote?: boolean;
  canned?: CannedOption[];
  held?: Held;
}) {
  const { t, rich } = useI18n();
  return (
    <PostForm id="reply-form" class="composer" action={`/tickets/${ticketId}/replies`} target="reply-form" files>
      <SeenField seen={seen} />
      {held && <HeldNotice held={held} />}
      <fieldset>
        <legend>{t("ticket.write")}</legend>
        <div class="check">
          <input type="radio" id="kind-reply" name="kind" value="reply" checked={!asNote} />
          <label for="kind-reply">{t("ticket.kindReply")}</label>
        </div>
        <div class="check">
          <input type="radio" id="kind-note" name="kind" value="note" checked={asNote} />
          <label for="kind-note">{t("ticket.internalNote")}</label>
        </div>
      </fieldset>
      {canned && <CannedPicker ticketId={ticketId} canned={canned} errors={errors} />}
      <MessageBox name="body" label={t("ticket.yourMessage")} errors={errors} value={value} focus={!held} />
      <FileField errors={errors} keep={Boolean(errors || held)} />
      <p class="note-warning">{rich("ticket.noteWarning", { strong: (s) => <strong>{s}</strong> })}</p>
      <div class="actions">
        <button type="submit" name="as" value="reply" class="for-reply">
          {t("ticket.sendReply")}
        </button>
        <button type="submit" name="set_status" value="Waiting" class="secondary for-reply">
          {t("ticket.sendWaiting")}
        </button>
        <button type="submit" name="set_status" value="Closed" class="secondary for-reply">
          {t("ticket.sendClose")}
        </button>
        <button type="submit" name="after" value="next" class="secondary for-reply">
          {t("ticket.sendNext")}
        </button>
        <button type="submit" name="as" value="note" class="for-note">
          {t("ticket.addNote")}
        </button>
      </div>
    </PostForm>
  );
}

export type CannedOption = { id: number; title: string; shared: boolean };

/**
 * A canned reply into the box: the whole composer form goes to /tickets/:id/canned, which sends the
 * page (or with htmx the composer) back with the reply's text filled for this ticket after what was
 * typed, or instead of it. Nothing is sent to anyone.
 */
function CannedPicker({
  ticketId,
  canned,
  errors,
}: {
  ticketId: number;
  canned: CannedOption[];
  errors?: FieldErrors;
}) {
  const t = useT();
  const action = `/tickets/${ticketId}/canned`;
  const insert = {
    formaction: action,
    "data-hx-post": action,
    "data-hx-target": "#reply-form",
    "data-hx-swap": "outerHTML",
  };
  const group = (shared: boolean) => {
    const options = canned.filter((c) => c.shared === shared);
    return (
      options.length > 0 && (
        <optgroup label={t(shared ? "canned.shared" : "canned.mine")}>
          {options.map((c) => (
            <option value={String(c.id)}>{c.title}</option>
          ))}
        </optgroup>
      )
    );
  };
  return (
    <div class="canned-pick">
      <Field name="canned" label={t("canned.pick")} errors={errors}>
        {(a) => (
          <select {...a}>
            <option value="">{t("canned.none")}</option>
            {group(true)}
            {group(false)}
          </select>
        )}
      </Field>
      <div class="actions">
        <button type="submit" name="mode" value="append" class="secondary" {...insert}>
          {t("canned.insert")}
        </button>
        <button type="submit" name="mode" value="replace" class="secondary" {...insert}>
          {t("canned.replace")}
        </button>
        <a href="/canned">{t("canned.manage")}</a>
      </div>
    </div>
  );
}

/** The box of a reply or a note: up to 10,000 characters, counted; focused when it comes back with an error. */
function MessageBox(props: {
  name: string;
  label: string;
  hint?: string;
  errors?: FieldErrors;
  value?: string;
  focus?: boolean;
}) {
  const { value, focus = true, ...field } = props;
  return (
    <Field {...field} autofocus={focus} count={10_000}>
      {(a) => (
        <textarea {...a} rows={4} required>
          {value ?? ""}
        </textarea>
      )}
    </Field>
  );
}

/** For staff, the email a reply came in as it was received, quoted history and all. */
function WholeEmail({ text }: { text: string }) {
  const user = useRequestContext<AppEnv>().var.user;
  if (!isStaff(user)) return null;
  return (
    <details class="whole-email">
      <summary>{useT()("ticket.wholeEmail")}</summary>
      <div class="reply-body" dir="auto">
        {text}
      </div>
    </details>
  );
}

export function Thread({ replies, oob }: { replies: ReplyRow[]; oob?: boolean }) {
  return (
    <ol
      id="thread"
      class="thread"
      aria-label={useT()("ticket.conversation")}
      data-hx-swap-oob={oob ? "true" : undefined}
    >
      {replies.map((r) => (
        <ReplyItem reply={r} />
      ))}
    </ol>
  );
}

/**
 * The reply form. Agents get the composer instead: one box, a clear choice between a reply and an
 * internal note, and buttons that say what they do.
 */
export function ReplyForm({
  ticketId,
  seen,
  value,
  errors,
  reopens,
  asNote,
  canned,
  held,
}: {
  ticketId: number;
  /** The last history event the page showed (lastSeen): a reply is held if others did something since. */
  seen: number;
  /** A reply held for news: what came in, and "Send anyway". */
  held?: Held;
  /** Staff: the canned replies they may put in the composer. */
  canned?: CannedOption[];
  value?: string;
  errors?: FieldErrors;
  /** The ticket is closed and this reply would open it again: say so before it is sent. */
  reopens?: boolean;
  /** The composer comes back with "Internal note" chosen (a note with an error, a restored draft). */
  asNote?: boolean;
}) {
  const t = useT();
  const staff = isStaff(useRequestContext<AppEnv>().var.user);
  if (staff)
    return (
      <Composer
        ticketId={ticketId}
        seen={seen}
        value={value}
        errors={errors}
        asNote={asNote}
        canned={canned}
        held={held}
      />
    );
  return (
    <PostForm id="reply-form" action={`/tickets/${ticketId}/replies`} target="reply-form" files>
      <SeenField seen={seen} />
      {held && <HeldNotice held={held} />}
      <MessageBox
        name="body"
        label={t("ticket.yourReply")}
        hint={reopens ? t("ticket.reopensHint") : undefined}
        errors={errors}
        value={value}
        focus={!held}
      />
      <FileField errors={errors} keep={Boolean(errors || held)} />
      <div class="actions">
        <button type="submit">{t("ticket.sendReply")}</button>
      </div>
    </PostForm>
  );
}
