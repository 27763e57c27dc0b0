import { useT } from "../../src/i18n/view.js";
import { COMMENT_MAX, type Rating, type Survey } from "../../src/survey/survey.js";
import type { FieldErrors } from "../components/field.js";
import { Field } from "../components/field.js";
import { PostForm } from "../components/post-form.js";
import { Time } from "../components/time.js";

type Props = {
  survey: Survey;
  /** The choice the link (or the form sent back) carries: shown chosen, never recorded by a GET. */
  rating?: Rating;
  comment?: string;
  errors?: FieldErrors;
  /** Just recorded: the thanks, with the answer as it now stands. */
  thanked?: boolean;
  /** The answer can no longer be changed. */
  late?: boolean;
};

/**
 * "How did we do?" for one closure of one ticket: its number and subject alone, the two answers
 * (the link's chosen), an optional comment, and one button. After it, the thanks and the answer,
 * still changeable until its date.
 */
export function SurveyPage({ survey, rating, comment, errors, thanked, late }: Props) {
  const t = useT();
  const chosen = rating ?? survey.answer?.rating;
  const words = (r: Rating) => (r === "good" ? t("survey.good") : t("survey.bad"));
  return (
    <section id="survey" aria-labelledby="survey-title">
      <h1 id="survey-title">{thanked ? t("survey.thanks") : t("survey.title")}</h1>
      <p>
        {t("survey.about", { id: survey.ticket.id })} <q dir="auto">{survey.ticket.subject}</q>
      </p>
      {survey.answer && (
        <p class={late ? "notice" : "meta"} role={late ? "alert" : undefined}>
          {t("survey.answered", { rating: words(survey.answer.rating) })}
          {survey.answer.comment && (
            <>
              {" "}
              <q dir="auto">{survey.answer.comment}</q>
            </>
          )}{" "}
          {late ? (
            t("survey.late")
          ) : (
            <>
              {t("survey.changeUntil")} <Time date={survey.changeUntil!} />
            </>
          )}
        </p>
      )}
      {!late && (
        <PostForm action={`/survey/${survey.token}`} target="survey">
          <fieldset
            class={errors?.rating ? "invalid" : undefined}
            aria-describedby={errors?.rating ? "rating-error" : undefined}
          >
            <legend>{t("survey.question")}</legend>
            {errors?.rating && (
              <p id="rating-error" class="error">
                {errors.rating}
              </p>
            )}
            {(["good", "bad"] as const).map((r) => (
              <div class="check">
                <input type="radio" id={`rating-${r}`} name="rating" value={r} checked={chosen === r} />
                <label for={`rating-${r}`}>{words(r)}</label>
              </div>
            ))}
          </fieldset>
          <Field name="comment" label={t("survey.comment")} errors={errors} count={COMMENT_MAX}>
            {(a11y) => (
              <textarea {...a11y} rows={3} dir="auto">
                {comment ?? survey.answer?.comment ?? ""}
              </textarea>
            )}
          </Field>
          <div class="actions">
            <button type="submit">{survey.answer ? t("survey.change") : t("survey.send")}</button>
          </div>
        </PostForm>
      )}
    </section>
  );
}
