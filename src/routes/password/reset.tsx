import { Hono } from "hono";
import { z } from "zod";
import type { AppEnv, Ctx } from "../../env.js";
import { askForLink } from "../../lib/auth/ask-link.js";
import { removeAuthCookie } from "../../lib/auth/cookie.js";
import { withPasswordRules } from "../../lib/auth/passwords.js";
import { readForm } from "../../lib/forms.js";
import { respond, seeOther } from "../../lib/htmx.js";
import { peekLink, useLink } from "../../users/links.js";
import { setPassword } from "../../users/passwords.js";
import { LinkGonePage, ResetPasswordPage } from "../../../views/auth/links.js";

// /password/forgot: ask for a reset link by email; /password/reset: the link's form for a new
// password. Saving it uses the link up and ends every session of the account.
export const passwordReset = new Hono<AppEnv>();
const ask = askForLink("reset");
passwordReset.get("/forgot", ask.show);
passwordReset.post("/forgot", ask.send);

const gone = (c: Ctx) => {
  c.status(410);
  return c.render(<LinkGonePage purpose="reset" />, { title: "This link no longer works" });
};

passwordReset.get("/reset", async (c) => {
  const token = c.req.query("token") ?? "";
  const user = await peekLink(c.var.deps, "reset", token);
  if (!user) return gone(c);
  return c.render(<ResetPasswordPage token={token} name={user.name} />, { title: "Choose a new password" });
});

const resetForm = withPasswordRules(z.object({ token: z.string().max(100), password: z.string() }), "password");

passwordReset.post("/reset", async (c) => {
  const { deps } = c.var;
  const form = await readForm(c, resetForm);
  const token = form.values.token ?? "";
  const user = await peekLink(deps, "reset", token);
  if (!user) return gone(c);
  if (!form.ok) {
    c.status(422);
    return respond(
      c,
      <ResetPasswordPage token={token} name={user.name} errors={form.errors} />,
      "Choose a new password",
    );
  }
  if (!(await useLink(deps, "reset", token))) return gone(c);
  await setPassword(deps, user.id, form.data.password);
  removeAuthCookie(c);
  return seeOther(c, `/login?${new URLSearchParams({ email: user.email, reset: "" })}`);
});
