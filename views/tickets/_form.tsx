import { ErrorSummary, Field, InputField, type FieldErrors } from "../components/field.js";
import { FileField } from "../components/files.js";
import { PostForm } from "../components/post-form.js";
import { Time } from "../components/time.js";
import { PRIORITIES } from "../../src/tickets/model.js";

export type TicketFormValues = {
  subject?: string;
  description?: string;
  priority?: string;
  form_token?: string;
  email?: string;
};
/** The ticket the person opened a moment ago with the same text. */
export type Twin = { id: number; createdAt: Date };
const LABELS = {
  subject: "Subject",
  description: "Description",
  priority: "Priority",
  email: "Your email address",
  files: "Attach files",
};

/**
 * The one ticket form: the new page, its 422 answer and its htmx fragment all render this; with
 * `guest` (its signed time stamp), the kiosk's form without an account (/guest): an optional
 * email address, and a honeypot field people never see.
 */
export function TicketForm({
  values,
  errors,
  twin,
  guest,
}: {
  values: TicketFormValues;
  errors?: FieldErrors;
  twin?: Twin;
  guest?: { stamp: string };
}) {
  return (
    <PostForm id="ticket-form" action={guest ? "/guest" : "/tickets"} target="ticket-form" files>
      {guest ? (
        <>
          <input type="hidden" name="stamp" value={guest.stamp} />
          {/* Hidden from people and screen readers; a form robot fills it in. */}
          <div class="hp">
            <label for="website">Leave this empty</label>
            <input type="text" id="website" name="website" tabindex={-1} autocomplete="off" value="" />
          </div>
        </>
      ) : (
        <input type="hidden" name="form_token" value={values.form_token ?? ""} />
      )}
      {twin && (
        <div class="notice twin" role="alert" tabindex={-1} autofocus>
          <p>
            <strong>
              You opened this as <a href={`/tickets/${twin.id}`}>#{twin.id}</a> <Time date={twin.createdAt} />.
            </strong>{" "}
            Going back and sending the form again would open a second ticket for the same problem.
          </p>
          <p>
            <a href={`/tickets/${twin.id}`}>See ticket #{twin.id}</a>, or open another one with the text below.
          </p>
          <input type="hidden" name="again" value="1" />
        </div>
      )}
      <ErrorSummary errors={errors} labels={LABELS} />
      <InputField
        name="subject"
        label="Subject"
        hint="A short summary, for example: Printer on floor 2 is jammed"
        errors={errors}
        type="text"
        value={values.subject}
        required
        minlength={3}
        maxlength={200}
      />
      <Field
        name="description"
        label="Description"
        hint="What happened, what you expected, and anything you already tried."
        errors={errors}
        count={10_000}
      >
        {(a) => (
          <textarea {...a} required minlength={10} rows={8}>
            {values.description ?? ""}
          </textarea>
        )}
      </Field>
      <Field name="priority" label="Priority" errors={errors}>
        {(a) => (
          <select {...a}>
            {PRIORITIES.map((p) => (
              <option value={p} selected={(values.priority ?? "Medium") === p}>
                {p}
              </option>
            ))}
          </select>
        )}
      </Field>
      {guest && (
        <InputField
          name="email"
          label="Your email address (optional)"
          hint="To get the receipt and the answers by email, and to reply by email. Leave it empty to use the receipt's code only."
          errors={errors}
          type="email"
          autocomplete="off"
          value={values.email}
          maxlength={254}
        />
      )}
      <FileField errors={errors} keep={Boolean(errors || twin)} />
      <div class="actions">
        <button type="submit">{twin ? "Open it anyway" : "Open ticket"}</button>
        <a href={guest ? "/" : "/tickets"}>Cancel</a>
      </div>
    </PostForm>
  );
}
