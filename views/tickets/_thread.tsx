import { useRequestContext } from "hono/jsx-renderer";
import type { AppEnv } from "../../src/env.js";
import { useI18n, useT } from "../../src/i18n/view.js";
import type { TicketDetail } from "../../src/tickets/find.js";
import { isStaff } from "../../src/users/authorization.js";
import { Field, type FieldErrors } from "../components/field.js";
import { FileField, FileList } from "../components/files.js";
import { PostForm } from "../components/post-form.js";
import { Time } from "../components/time.js";

type ReplyRow = TicketDetail["replies"][number];

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
  value,
  errors,
  asNote,
  canned,
}: {
  ticketId: number;
  value?: string;
  errors?: FieldErrors;
  asNote?: boolean;
  canned?: CannedOption[];
}) {
  const { t, rich } = useI18n();
  return (
    <PostForm id="reply-form" class="composer" action={`/tickets/${ticketId}/replies`} target="reply-form" files>
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
      <MessageBox name="body" label={t("ticket.yourMessage")} errors={errors} value={value} />
      <FileField errors={errors} keep={Boolean(errors)} />
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
function MessageBox(props: { name: string; label: string; hint?: string; errors?: FieldErrors; value?: string }) {
  const { value, ...field } = props;
  return (
    <Field {...field} autofocus count={10_000}>
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

export function Thread({ replies }: { replies: ReplyRow[] }) {
  return (
    <ol id="thread" class="thread" aria-label={useT()("ticket.conversation")}>
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
  value,
  errors,
  reopens,
  asNote,
  canned,
}: {
  ticketId: number;
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
  if (staff) return <Composer ticketId={ticketId} value={value} errors={errors} asNote={asNote} canned={canned} />;
  return (
    <PostForm id="reply-form" action={`/tickets/${ticketId}/replies`} target="reply-form" files>
      <MessageBox
        name="body"
        label={t("ticket.yourReply")}
        hint={reopens ? t("ticket.reopensHint") : undefined}
        errors={errors}
        value={value}
      />
      <FileField errors={errors} keep={Boolean(errors)} />
      <div class="actions">
        <button type="submit">{t("ticket.sendReply")}</button>
      </div>
    </PostForm>
  );
}
