import { ErrorSummary, Field, InputField, type FieldErrors } from "../components/field.js";
import { PostForm } from "../components/post-form.js";
import { PRIORITIES } from "../../src/tickets/model.js";

export type TicketFormValues = { subject?: string; description?: string; priority?: string; form_token?: string };
const LABELS = { subject: "Subject", description: "Description", priority: "Priority" };

/** The one ticket form: the new page, its 422 answer and its htmx fragment all render this. */
export function TicketForm({ values, errors }: { values: TicketFormValues; errors?: FieldErrors }) {
  return (
    <PostForm id="ticket-form" action="/tickets" target="ticket-form">
      <input type="hidden" name="form_token" value={values.form_token ?? ""} />
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
      >
        {(a) => (
          <textarea {...a} required minlength={10} maxlength={10000} rows={8}>
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
      <div class="actions">
        <button type="submit">Open ticket</button>
        <a href="/tickets">Cancel</a>
      </div>
    </PostForm>
  );
}
