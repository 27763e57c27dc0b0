import { Hono } from "hono";
import { z } from "zod";
import { SurveyPage } from "../../views/survey/index.js";
import type { AppEnv, Ctx } from "../env.js";
import { renderError } from "../http/errors.js";
import { readForm, withoutBidiControls, withoutNul } from "../http/forms.js";
import { refuseForm, respond } from "../http/htmx.js";
import { msg } from "../i18n/translate.js";
import { answerSurvey, COMMENT_MAX, RATINGS, readSurvey, type Survey } from "../survey/survey.js";

// /survey/:token: "How did we do?" from the closing email, without signing in. GET shows the
// choice the link carries and one button; only the POST records (survey/survey.ts).
export const survey = new Hono<AppEnv>();

/** The survey of the URL, or the page that says why there is none (404 not ours, 410 over). */
async function surveyOfUrl(c: Ctx): Promise<Survey | Response> {
  const { t } = c.var.i18n;
  const found = await readSurvey(c.var.deps, c.req.param("token") ?? "");
  if (found === "invalid") return renderError(c, 404, t("survey.goneTitle"), t("survey.invalid"));
  if (found === "over") return renderError(c, 410, t("survey.goneTitle"), t("survey.over"));
  // The page is the person's answer: never kept in a shared cache or on a kiosk's disk.
  c.header("Cache-Control", "no-store");
  return found;
}

const title = (c: Ctx) => c.var.i18n.t("survey.title");

survey.get("/:token{[A-Za-z0-9._-]{1,120}}", async (c) => {
  const found = await surveyOfUrl(c);
  if (found instanceof Response) return found;
  const rating = RATINGS.find((r) => r === c.req.query("rating"));
  const late = Boolean(found.changeUntil && c.var.deps.clock.now() > found.changeUntil);
  return c.render(<SurveyPage survey={found} rating={rating} late={late} />, { title: title(c) });
});

const answerForm = z.object({
  rating: z.enum(RATINGS, { error: msg("survey.choose") }),
  comment: z
    .string()
    .transform((s) => withoutBidiControls(withoutNul(s)).trim())
    .pipe(z.string().max(COMMENT_MAX, { error: msg("survey.long") }))
    .optional(),
});

survey.post("/:token{[A-Za-z0-9._-]{1,120}}", async (c) => {
  const found = await surveyOfUrl(c);
  if (found instanceof Response) return found;
  const form = await readForm(c, answerForm);
  if (!form.ok) {
    const rating = RATINGS.find((r) => r === form.values.rating);
    const page = <SurveyPage survey={found} rating={rating} comment={form.values.comment} errors={form.errors} />;
    return refuseForm(c, 422, page, title(c));
  }
  const outcome = await answerSurvey(c.var.deps, found, form.data.rating, form.data.comment || null);
  const now = (await readSurvey(c.var.deps, found.token)) as Survey;
  if (outcome === "late") {
    c.status(409);
    return respond(c, <SurveyPage survey={now} late />, title(c));
  }
  return respond(c, <SurveyPage survey={now} thanked />, c.var.i18n.t("survey.thanks"));
});
