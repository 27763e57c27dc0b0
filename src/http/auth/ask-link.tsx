import type { Context, Handler } from "hono";
import { z } from "zod";
import { AskLinkPage, askTitle, LinkGonePage, LinkSentPage } from "../../../views/auth/links.js";
import type { AppEnv } from "../../env.js";
import { homeOf } from "../../users/authorization.js";
import { LINK_MINUTES, type LinkPurpose, sendLink } from "../../users/links.js";
import { tooManyAttempts } from "../errors.js";
import { emailField, readForm } from "../forms.js";
import { refuseForm, respond } from "../htmx.js";
import { requestMeta } from "./middleware.js";

// Asking for a sign-in link (/login/link) and for a reset link (/password/forgot): one form, one
// answer whether or not the address has an account.

const askForm = z.object({ email: emailField() });

/** 410 for a link that is used, expired, replaced or never was: one page, with the way to a new one. */
export function linkGone(c: Context<AppEnv>, purpose: LinkPurpose) {
  c.status(410);
  return c.render(<LinkGonePage purpose={purpose} />, { title: c.var.i18n.t("links.goneTitle") });
}

export function askForLink(purpose: LinkPurpose): { show: Handler<AppEnv>; send: Handler<AppEnv> } {
  return {
    show: (c) => {
      const title = askTitle(c.var.i18n.t, purpose);
      if (purpose === "signin" && c.var.user) return c.redirect(homeOf(c.var.user), 303);
      return c.render(<AskLinkPage purpose={purpose} email={c.req.query("email")?.slice(0, 254)} />, { title });
    },
    send: async (c) => {
      const title = askTitle(c.var.i18n.t, purpose);
      const form = await readForm(c, askForm);
      if (!form.ok) {
        return refuseForm(
          c,
          422,
          <AskLinkPage purpose={purpose} email={form.values.email} errors={form.errors} />,
          title,
        );
      }
      const retryAt = await sendLink(c.var.deps, purpose, form.data.email, requestMeta(c));
      if (retryAt) return tooManyAttempts(c, retryAt);
      return respond(
        c,
        <LinkSentPage purpose={purpose} email={form.data.email} minutes={LINK_MINUTES} />,
        c.var.i18n.t("links.sentTitle"),
      );
    },
  };
}
