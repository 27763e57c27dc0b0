import { useI18n } from "../../src/i18n/view.js";
import { priorityLabel } from "../../src/i18n/words.js";
import { PRIORITIES } from "../../src/tickets/model.js";
import { ErrorSummary, Field, type FieldErrors, InputField } from "../components/field.js";
import { FileField } from "../components/files.js";
import { PostForm } from "../components/post-form.js";
import { Time } from "../components/time.js";

export type TicketFormValues = {
  subject?: string;
  description?: string;
  priority?: string;
  form_token?: string;
  email?: string;
};
/** The ticket the person opened a moment ago with the same text. */
export type Twin = { id: number; createdAt: Date };

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
  const { t, rich } = useI18n();
  const labels = {
    subject: t("new.subject"),
    description: t("new.description"),
    priority: t("new.priority"),
    email: t("new.email"),
    files: t("files.attach"),
  };
  return (
    <PostForm id="ticket-form" action={guest ? "/guest" : "/tickets"} target="ticket-form" files>
      {guest ? (
        <input type="hidden" name="stamp" value={guest.stamp} />
      ) : (
        <input type="hidden" name="form_token" value={values.form_token ?? ""} />
      )}
      {twin && (
        <div class="notice twin" role="alert" tabindex={-1} autofocus>
          <p>
            {rich("new.twin", {
              id: twin.id,
              when: (<Time date={twin.createdAt} />) as never,
              strong: (s) => <strong>{s}</strong>,
              link: (s) => <a href={`/tickets/${twin.id}`}>{s}</a>,
            })}
          </p>
          <p>{rich("new.twinWays", { id: twin.id, link: (s) => <a href={`/tickets/${twin.id}`}>{s}</a> })}</p>
          <input type="hidden" name="again" value="1" />
        </div>
      )}
      <ErrorSummary errors={errors} labels={labels} />
      <InputField
        name="subject"
        label={labels.subject}
        hint={t("new.subjectHint")}
        errors={errors}
        type="text"
        value={values.subject}
        required
        minlength={3}
        maxlength={200}
      />
      <Field
        name="description"
        label={labels.description}
        hint={t("new.descriptionHint")}
        errors={errors}
        count={10_000}
      >
        {(a) => (
          <textarea {...a} required minlength={10} rows={8}>
            {values.description ?? ""}
          </textarea>
        )}
      </Field>
      <Field name="priority" label={labels.priority} errors={errors}>
        {(a) => (
          <select {...a}>
            {PRIORITIES.map((p) => (
              <option value={p} selected={(values.priority ?? "Medium") === p}>
                {priorityLabel(t, p)}
              </option>
            ))}
          </select>
        )}
      </Field>
      {guest && (
        <InputField
          name="email"
          label={t("new.emailOptional")}
          hint={t("new.emailHint")}
          errors={errors}
          type="email"
          autocomplete="off"
          value={values.email}
          maxlength={254}
        />
      )}
      <FileField errors={errors} keep={Boolean(errors || twin)} />
      {guest && (
        // A trap for form robots, after the real fields: hidden by the stylesheet, and where it
        // shows (Lynx, no CSS) its label tells a person to skip it.
        <div class="hp">
          <label for="website">{t("new.honeypot")}</label>
          <input type="text" id="website" name="website" tabindex={-1} autocomplete="off" value="" />
        </div>
      )}
      <div class="actions">
        <button type="submit">{twin ? t("new.anyway") : t("new.submit")}</button>
        <a href={guest ? "/" : "/tickets"}>{t("new.cancel")}</a>
      </div>
    </PostForm>
  );
}
