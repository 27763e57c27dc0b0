/**
 * A set of choices, one checkbox each, all posted under one name: a box left unticked is simply
 * absent, so the handler reads the ticked values and treats the rest as off.
 */
export function Checkboxes({
  legend,
  name,
  idPrefix,
  options,
}: {
  legend: string;
  name: string;
  idPrefix: string;
  options: { value: string; label: string; checked: boolean }[];
}) {
  return (
    <fieldset>
      <legend>{legend}</legend>
      {options.map((o) => (
        <div class="check">
          <input type="checkbox" id={`${idPrefix}-${o.value}`} name={name} value={o.value} checked={o.checked} />
          <label for={`${idPrefix}-${o.value}`}>{o.label}</label>
        </div>
      ))}
    </fieldset>
  );
}
