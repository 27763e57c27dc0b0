import type { Context } from "hono";
import { LoginPage } from "../../../views/auth/login.js";
import type { AppEnv } from "../../env.js";
import { keepDraft, pageOf } from "../drafts.js";
import { formValues } from "../forms.js";
import { fragment, isPartial } from "../htmx.js";

/**
 * A person's own form, sent after their session ended: nothing is done, what they typed is kept
 * for them, and the sign-in form takes them back to the same form with their text in it.
 */
export async function signInAgain(c: Context<AppEnv>, userId: number) {
  const draft = await keepDraft(c.var.deps, userId, c.req.path, await formValues(c));
  const page = pageOf(c.req.path);
  const { t } = c.var.i18n;
  const notice = draft ? t("login.awayDraft") : t("login.away");
  c.var.deps.log({
    id: c.var.requestId,
    msg: `form from an ended session${draft ? ", kept as a draft" : ""}`,
    path: c.req.path,
  });
  c.status(401);
  const view = <LoginPage values={{ next: draft ? `${page}?draft=${draft}` : page }} notice={notice} />;
  if (!isPartial(c)) return c.render(view, { title: t("login.againTitle") });
  // In place, the sign-in form takes the page's main content, not the little form that was sent.
  c.header("HX-Retarget", "#main");
  c.header("HX-Reswap", "innerHTML");
  return fragment(c, view);
}
