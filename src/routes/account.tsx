import { Hono } from "hono";
import { z } from "zod";
import type { AppEnv, Ctx } from "../env.js";
import { requireUser } from "../lib/auth/middleware.js";
import { checkPassword, hashPassword, passwordProblem } from "../lib/auth/passwords.js";
import { endSessions } from "../lib/auth/session.js";
import { setFlash } from "../lib/flash.js";
import { readForm, text } from "../lib/forms.js";
import { fragment, isPartial, respond, seeOther } from "../lib/htmx.js";
import { AccountPage, NameForm, PasswordForm, type SessionRow, SessionList } from "../../views/account/index.js";
import { Flash } from "../../views/components/flash.js";

export const account = new Hono<AppEnv>();
account.use("/account", requireUser());
account.use("/account/*", requireUser());

async function activeSessions(c: Ctx): Promise<SessionRow[]> {
  const { db, clock, config } = c.var.deps;
  const now = clock.now();
  const rows = await db.session.findMany({
    where: {
      userId: c.var.user!.id,
      revokedAt: null,
      expiresAt: { gt: now },
      lastSeenAt: { gt: new Date(now.getTime() - config.sessionIdleMs) },
    },
    orderBy: { lastSeenAt: "desc" },
  });
  return rows.map((s) => ({ ...s, current: s.id === c.var.sessionId }));
}

account.get("/account", async (c) => {
  const user = c.var.user!;
  return c.render(
    <AccountPage name={user.name} email={user.email} role={user.role} sessions={await activeSessions(c)} />,
    { title: "Your account" },
  );
});

account.post("/account", async (c) => {
  const form = await readForm(c, z.object({ name: text(z, "your name", 1, 100) }));
  if (!form.ok) {
    c.status(422);
    const view = <NameForm name={form.values.name ?? ""} errors={form.errors} />;
    return respond(c, view, "Your account");
  }
  await c.var.deps.db.user.update({ where: { id: c.var.user!.id }, data: { name: form.data.name } });
  if (isPartial(c))
    return fragment(
      c,
      <>
        <NameForm name={form.data.name} />
        <Flash message="Your name was saved." oob />
      </>,
    );
  setFlash(c, "Your name was saved.");
  return seeOther(c, "/account");
});

account.post("/account/password", async (c) => {
  const { db, config } = c.var.deps;
  const user = c.var.user!;
  const form = await readForm(
    c,
    z.object({ current_password: z.string().min(1, "Enter your current password."), new_password: z.string() }),
  );
  const errors: Record<string, string> = form.ok ? {} : (form.errors as Record<string, string>);
  const problem = passwordProblem(form.values.new_password ?? "", { email: user.email });
  if (problem) errors.new_password ??= problem;
  if (!errors.current_password) {
    const row = await db.user.findUniqueOrThrow({ where: { id: user.id } });
    if (!(await checkPassword(form.values.current_password ?? "", row.passwordHash)))
      errors.current_password = "That is not your current password.";
  }
  if (Object.keys(errors).length) {
    c.status(422);
    return respond(c, <PasswordForm errors={errors} />, "Your account");
  }
  await db.user.update({
    where: { id: user.id },
    data: { passwordHash: await hashPassword(form.values.new_password!, config.bcryptCost) },
  });
  const ended = await endSessions(c.var.deps, user.id, c.var.sessionId!);
  const message = `Your password was changed${ended ? ` and ${ended} other session${ended === 1 ? " was" : "s were"} signed out` : ""}.`;
  if (isPartial(c))
    return fragment(
      c,
      <>
        <PasswordForm />
        <Flash message={message} oob />
      </>,
    );
  setFlash(c, message);
  return seeOther(c, "/account");
});

async function afterSessionChange(c: Ctx, message: string) {
  if (isPartial(c))
    return fragment(
      c,
      <>
        <SessionList sessions={await activeSessions(c)} />
        <Flash message={message} oob />
      </>,
    );
  setFlash(c, message);
  return seeOther(c, "/account");
}

account.post("/account/sessions/end-others", async (c) => {
  const ended = await endSessions(c.var.deps, c.var.user!.id, c.var.sessionId!);
  return afterSessionChange(
    c,
    ended ? `Signed out of ${ended} other session${ended === 1 ? "" : "s"}.` : "No other sessions were open.",
  );
});

account.post("/account/sessions/:id/end", async (c) => {
  const { db, clock } = c.var.deps;
  const id = c.req.param("id");
  // Scoped to the caller: another user's session id changes nothing and reads as not found.
  const { count } = await db.session.updateMany({
    where: { id, userId: c.var.user!.id, revokedAt: null, NOT: { id: c.var.sessionId! } },
    data: { revokedAt: clock.now() },
  });
  if (!count) return c.notFound();
  return afterSessionChange(c, "That session was signed out.");
});
