import { useRequestContext } from "hono/jsx-renderer";
import type { AppEnv } from "../../src/env.js";
import { isStaff } from "../../src/lib/authorization.js";
import { PostForm } from "../components/post-form.js";
import { Field, type FieldErrors } from "../components/field.js";
import { Time } from "../components/time.js";
import type { TicketDetail } from "../../src/tickets/find.js";

type ReplyRow = TicketDetail["replies"][number];

export function ReplyItem({ reply }: { reply: ReplyRow }) {
  return (
    <li id={`reply-${reply.id}`} class={reply.internal ? "internal" : undefined}>
      <p class="meta">
        {reply.internal && <strong>Internal note (agents only) · </strong>}
        <strong>{reply.author.name}</strong>
        {reply.author.role !== "requester" && " (support)"} · <Time date={reply.createdAt} />
      </p>
      <div class="reply-body" dir="auto">
        {reply.body}
      </div>
      {reply.emailText && reply.emailText.trim() !== reply.body.trim() && <WholeEmail text={reply.emailText} />}
    </li>
  );
}

/** For staff: answer and set the status in one step, the two most common ends of a reply. */
function AgentSendButtons() {
  if (!isStaff(useRequestContext<AppEnv>().var.user)) return null;
  return (
    <>
      <button type="submit" name="set_status" value="Waiting" class="secondary">
        Send and set Waiting
      </button>
      <button type="submit" name="set_status" value="Closed" class="secondary">
        Send and close
      </button>
    </>
  );
}

/** For staff, the email a reply came in as it was received, quoted history and all. */
function WholeEmail({ text }: { text: string }) {
  const user = useRequestContext<AppEnv>().var.user;
  if (!isStaff(user)) return null;
  return (
    <details class="whole-email">
      <summary>The whole email</summary>
      <div class="reply-body" dir="auto">
        {text}
      </div>
    </details>
  );
}

export function Thread({ replies }: { replies: ReplyRow[] }) {
  return (
    <ol id="thread" class="thread" aria-label="Conversation">
      {replies.map((r) => (
        <ReplyItem reply={r} />
      ))}
    </ol>
  );
}

/** The reply form, and for agents the internal-note form: same shape, another resource. */
export function ReplyForm({
  ticketId,
  kind,
  value,
  errors,
  reopens,
}: {
  ticketId: number;
  kind: "replies" | "notes";
  value?: string;
  errors?: FieldErrors;
  /** The ticket is closed and this reply would open it again: say so before it is sent. */
  reopens?: boolean;
}) {
  const id = kind === "replies" ? "reply-form" : "note-form";
  const url = `/tickets/${ticketId}/${kind}`;
  const fieldName = kind === "replies" ? "body" : "note";
  return (
    <PostForm id={id} action={url} target={id}>
      <Field
        name={fieldName}
        label={kind === "replies" ? "Your reply" : "Internal note"}
        hint={
          kind === "notes"
            ? "Only agents and admins see notes."
            : reopens
              ? "This ticket is closed. Replying reopens it."
              : undefined
        }
        errors={errors}
        autofocus
      >
        {(a) => (
          <textarea {...a} rows={4} required maxlength={10000}>
            {value ?? ""}
          </textarea>
        )}
      </Field>
      <div class="actions">
        <button type="submit" class={kind === "notes" ? "secondary" : undefined}>
          {kind === "replies" ? "Send reply" : "Add note"}
        </button>
        {kind === "replies" && <AgentSendButtons />}
      </div>
    </PostForm>
  );
}
