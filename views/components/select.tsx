import type { I18n } from "../../src/i18n/translate.js";
import { statusOptions } from "../../src/i18n/words.js";
import type { Statuses } from "../../src/tickets/statuses.js";

/** A labelled select; options are [value, text] pairs. */
export function SelectField({
  id,
  name = id,
  label,
  value,
  hint,
  options,
}: {
  id: string;
  name?: string;
  label: string;
  value?: string;
  hint?: string;
  options: readonly (readonly [string, string])[];
}) {
  return (
    <div class="field">
      <label for={id}>{label}</label>
      {hint && (
        <p id={`${id}-hint`} class="hint">
          {hint}
        </p>
      )}
      <select id={id} name={name} aria-describedby={hint ? `${id}-hint` : undefined}>
        {options.map(([v, text]) => (
          <option value={v} selected={(value ?? "") === v}>
            {text}
          </option>
        ))}
      </select>
    </div>
  );
}

/** [value, text] pairs for a list of words shown as they are. */
export const same = (words: readonly string[]) => words.map((w) => [w, w] as const);

/** The status filter of the ticket list and the queue: any, the work still to do, or one status. */
export const statusFilterOptions = (t: I18n["t"], statuses: Statuses) =>
  [["", t("filter.anyStatus")], ["active", t("filter.notClosed")], ...statusOptions(t, statuses.names())] as const;
