import { useI18n } from "../../src/i18n/view.js";
import { priorityLabel } from "../../src/i18n/words.js";
import { WEEKDAYS } from "../../src/sla/form.js";
import { PRIORITIES } from "../../src/tickets/model.js";
import { ErrorSummary, Field, type FieldErrors, InputField } from "../components/field.js";
import { PostForm } from "../components/post-form.js";

/** A Monday (1 January 2024): the weekday names in the person's language, Monday first. */
const MONDAY = Date.UTC(2024, 0, 1);
const weekdayNames = (lang: string) => {
  const format = new Intl.DateTimeFormat(lang, { weekday: "long", timeZone: "UTC" });
  return WEEKDAYS.map((d) => format.format(new Date(MONDAY + (d - 1) * 86_400_000)));
};

type Props = { values: Record<string, string>; errors?: FieldErrors; zones: readonly string[] };

/**
 * The desk's calendar and targets in one form: plain boxes a person can type in on any browser,
 * read by the server (sla/form.ts), every problem said next to its box.
 */
export function SlaForm({ values, errors, zones }: Props) {
  const { t, lang } = useI18n();
  const days = weekdayNames(lang);
  const labels: Record<string, string> = {
    zone: t("sla.zone"),
    holidays: t("sla.holidays"),
    risk: t("sla.risk"),
  };
  WEEKDAYS.forEach((d, i) => {
    labels[`hours_${d}`] = days[i]!;
  });
  for (const p of PRIORITIES) {
    labels[`first_${p}`] = t("sla.firstResponseOf", { priority: priorityLabel(t, p) });
    labels[`resolution_${p}`] = t("sla.resolutionOf", { priority: priorityLabel(t, p) });
  }
  const aroundTheClock = WEEKDAYS.every((d) => !values[`hours_${d}`]?.trim());
  const box = (name: string, hint?: string) => (
    <InputField name={name} type="text" label={labels[name]!} value={values[name]} errors={errors} hint={hint} />
  );
  return (
    <PostForm id="sla-form" action="/admin/sla" target="sla-form">
      <ErrorSummary errors={errors} labels={labels} />
      <fieldset>
        <legend>{t("sla.hoursLegend")}</legend>
        <Field name="zone" label={labels.zone!} errors={errors} hint={t("sla.zoneHint")}>
          {(a) => <input {...a} type="text" list="zones" value={values.zone ?? ""} autocomplete="off" />}
        </Field>
        <datalist id="zones">
          {zones.map((z) => (
            <option value={z} />
          ))}
        </datalist>
        <p class="hint" id="hours-hint">
          {t("sla.hoursHint")}
        </p>
        {aroundTheClock && <p class="notice">{t("sla.aroundTheClock")}</p>}
        <div class="sla-days" role="group" aria-describedby="hours-hint">
          {WEEKDAYS.map((d) => box(`hours_${d}`))}
        </div>
        <Field name="holidays" label={labels.holidays!} errors={errors} hint={t("sla.holidaysHint")}>
          {(a) => (
            <textarea {...a} rows={5} dir="ltr">
              {values.holidays ?? ""}
            </textarea>
          )}
        </Field>
      </fieldset>
      <fieldset>
        <legend>{t("sla.targetsLegend")}</legend>
        <p class="hint">{t("sla.targetsHint")}</p>
        <div class="sla-targets">
          {PRIORITIES.slice()
            .reverse()
            .map((p) => (
              <div class="sla-priority">
                {box(`first_${p}`)}
                {box(`resolution_${p}`)}
              </div>
            ))}
        </div>
        {box("risk", t("sla.riskHint"))}
      </fieldset>
      <div class="actions">
        <button type="submit">{t("sla.save")}</button>
      </div>
    </PostForm>
  );
}

export function SlaPage(props: Props) {
  const { t } = useI18n();
  return (
    <section id="sla">
      <h1>{t("sla.title")}</h1>
      <p>{t("sla.intro")}</p>
      <SlaForm {...props} />
    </section>
  );
}
