import type { Child } from "hono/jsx";
import { useT } from "../../src/i18n/view.js";
import { priorityOptions, statusOptions } from "../../src/i18n/words.js";
import { PRIORITIES } from "../../src/tickets/model.js";
import { Csrf } from "../components/csrf.js";
import { Field, type FieldErrors } from "../components/field.js";
import { useStatuses } from "../components/statuses.js";

/** What the bulk form shows: the choices as sent (when it comes back), their errors, which rows are ticked. */
export type BulkState = {
  values?: Partial<Record<"bulkAssignee" | "bulkStatus" | "bulkPriority" | "addTag" | "removeTag", string>>;
  errors?: FieldErrors;
  /** Every row on the page ticked ("Select all on this page"), or these ticket ids. */
  checked?: "all" | number[];
};

/** Whether a row's box is ticked. */
export const isPicked = (state: BulkState | undefined, id: number) =>
  state?.checked === "all" || (Array.isArray(state?.checked) && state.checked.includes(id));

/**
 * The queue's one bulk form, around its table: a box on each row (the ticket and the version this
 * page shows) and, above the table, what to do to the ticked ones. Without JavaScript "Select all on
 * this page" is a button: the page comes back with every box ticked. `view` and `cursor` say which
 * page this is, so the answer shows the same view.
 */
export function BulkForm({
  view,
  cursor,
  staff,
  me,
  state,
  allPicked,
  children,
}: {
  view: string;
  cursor?: string;
  staff: { id: number; name: string }[];
  me: number;
  state?: BulkState;
  /** Every row on the page is ticked: the select button clears instead. */
  allPicked: boolean;
  children: Child;
}) {
  const t = useT();
  const statuses = useStatuses();
  const values = state?.values ?? {};
  const errors = state?.errors ?? {};
  const first = Object.keys(errors)[0];
  const select = (
    name: keyof NonNullable<BulkState["values"]>,
    label: string,
    options: (readonly [string, string])[],
  ) => (
    <Field name={name} label={label} errors={errors} autofocus={first === name}>
      {(a11y) => (
        <select {...a11y}>
          {options.map(([v, text]) => (
            <option value={v} selected={(values[name] ?? "") === v}>
              {text}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
  const tag = (name: "addTag" | "removeTag", label: string) => (
    <Field name={name} label={label} errors={errors} autofocus={first === name}>
      {(a11y) => <input {...a11y} type="text" value={values[name] ?? ""} maxlength={60} autocomplete="off" />}
    </Field>
  );
  return (
    <form
      id="bulk"
      method="post"
      action="/queue/bulk"
      data-hx-post="/queue/bulk"
      data-hx-target="#queue-results"
      data-hx-swap="outerHTML"
      data-hx-disable="find button"
      novalidate
    >
      <Csrf />
      <input type="hidden" name="view" value={view} />
      {cursor && <input type="hidden" name="cursor" value={cursor} />}
      <fieldset class="bulk">
        <legend>{t("bulk.legend")}</legend>
        {errors.tickets && (
          <p id="tickets-error" class="error">
            {errors.tickets}
          </p>
        )}
        <div class="bulk-fields">
          {select("bulkAssignee", t("bulk.assign"), [
            ["", t("bulk.noChange")],
            ["me", t("queue.me")],
            ["nobody", t("bulk.nobody")],
            ...staff.filter((s) => s.id !== me).map((s) => [String(s.id), s.name] as const),
          ])}
          {select("bulkStatus", t("filter.status"), [["", t("bulk.noChange")], ...statusOptions(t, statuses.names())])}
          {select("bulkPriority", t("filter.priority"), [["", t("bulk.noChange")], ...priorityOptions(t, PRIORITIES)])}
          {tag("addTag", t("bulk.addTag"))}
          {tag("removeTag", t("bulk.removeTag"))}
        </div>
        <p class="actions">
          <button type="submit" name="apply" value="1">
            {t("bulk.apply")}
          </button>{" "}
          <button type="submit" name="select" value={allPicked ? "none" : "all"} class="secondary">
            {t(allPicked ? "bulk.selectNone" : "bulk.selectAll")}
          </button>
        </p>
      </fieldset>
      {children}
    </form>
  );
}
