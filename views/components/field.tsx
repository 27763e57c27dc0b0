import type { Child } from "hono/jsx";
import type { I18n } from "../../src/i18n/translate.js";
import { useT } from "../../src/i18n/view.js";

/** The messages app.js fills in as the person types: "{count}" stays for it to replace. */
const SLOT = { count: "{count}" };

export type FieldErrors = Partial<Record<string, string>>;

type Props = {
  name: string;
  label: string;
  errors?: FieldErrors;
  hint?: string;
  /** The first field with an error takes focus when the form comes back. */
  autofocus?: boolean;
  /** The most characters it takes: its maxlength, said under it, and counted down as the person types (app.js). */
  count?: number;
  children: (a11y: Record<string, string | boolean | undefined>) => Child;
};

/** A label, the control, its hint and its error, wired together for screen readers. */
export function Field({ name, label, errors, hint, autofocus, count, children }: Props) {
  const t = useT();
  const error = errors?.[name];
  const describedBy = [hint ? `${name}-hint` : "", error ? `${name}-error` : "", count ? `${name}-count` : ""]
    .filter(Boolean)
    .join(" ");
  return (
    <div class={error ? "field invalid" : "field"}>
      <label for={name}>{label}</label>
      {hint && (
        <p id={`${name}-hint`} class="hint">
          {hint}
        </p>
      )}
      {error && (
        <p id={`${name}-error`} class="error">
          {error}
        </p>
      )}
      {children({
        id: name,
        name,
        "aria-invalid": error ? "true" : undefined,
        "aria-describedby": describedBy || undefined,
        autofocus: autofocus && error ? true : undefined,
        ...(count
          ? {
              maxlength: String(count),
              "data-count": t("form.charsLeft", SLOT),
              "data-count-over": t("form.charsOver", SLOT),
            }
          : {}),
      })}
      {count && (
        <p id={`${name}-count`} class="hint count" aria-live="polite">
          {t("form.upTo", { max: count })}
        </p>
      )}
    </div>
  );
}

export function ErrorSummary({ errors, labels }: { errors?: FieldErrors; labels: Record<string, string> }) {
  const t = useT();
  const entries = Object.entries(errors ?? {}).filter(([, message]) => message);
  if (entries.length === 0) return null;
  return (
    // Focus lands here when the form comes back (GOV.UK's pattern): the problems first, each a link to its field.
    <div
      id="error-summary"
      class="error-summary"
      role="alert"
      aria-labelledby="error-summary-title"
      tabindex={-1}
      autofocus
    >
      <h2 id="error-summary-title">{t("form.summary", { count: entries.length })}</h2>
      <ul>
        {entries.map(([name, message]) => (
          <li>
            <a href={`#${name}`}>{summaryLine(t, labels[name], message!)}</a>
          </li>
        ))}
      </ul>
    </div>
  );
}

type InputProps = Omit<Props, "children"> & {
  type: "text" | "email" | "password" | "search";
  value?: string;
  autocomplete?: string;
  required?: boolean;
  minlength?: number;
  maxlength?: number;
  /** The keyboard a phone shows: "numeric" for a code of digits. */
  inputmode?: "numeric" | "text";
};

/** A one-line text input in a Field. */
export function InputField({
  type,
  value,
  autocomplete,
  required,
  minlength,
  maxlength,
  inputmode,
  ...field
}: InputProps) {
  return (
    <Field {...field}>
      {(a) => (
        <input
          {...a}
          type={type}
          autocomplete={autocomplete}
          value={type === "password" ? undefined : (value ?? "")}
          required={required}
          minlength={minlength}
          maxlength={maxlength}
          inputmode={inputmode}
        />
      )}
    </Field>
  );
}

/** The field where a person chooses a password: the rules the server checks, in the hint too. */
export function NewPasswordField(props: Omit<Props, "children" | "label"> & { label?: string }) {
  const t = useT();
  return (
    <InputField
      {...props}
      label={props.label ?? t("password.label")}
      hint={props.hint ?? t("password.hint")}
      type="password"
      autocomplete="new-password"
      required
      minlength={8}
    />
  );
}

/** "Email: Enter your email address.", but not "Email: Email or password is incorrect." */
const summaryLine = (t: I18n["t"], label: string | undefined, message: string) =>
  label && !message.startsWith(label) ? t("form.summaryLine", { label, message }) : message;
