import { STATUSES } from "../../src/tickets/model.js";

/** A labelled select; options are [value, text] pairs. */
export function SelectField({
  id,
  name = id,
  label,
  value,
  options,
}: {
  id: string;
  name?: string;
  label: string;
  value?: string;
  options: readonly (readonly [string, string])[];
}) {
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <select id={id} name={name}>
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
export const STATUS_FILTER_OPTIONS = [["", "Any status"], ["active", "Not closed"], ...same(STATUSES)] as const;
