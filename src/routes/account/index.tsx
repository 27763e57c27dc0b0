import { Hono } from "hono";
import { z } from "zod";
import { AccountPage, NameForm } from "../../../views/account/index.js";
import { contentDisposition } from "../../attachments/names.js";
import type { AppEnv } from "../../env.js";
import { requireUser, userOf } from "../../http/auth/middleware.js";
import { readForm, text } from "../../http/forms.js";
import { done, refuseForm } from "../../http/htmx.js";
import { mailSettings } from "../../mail/settings.js";
import { personArchive } from "../../users/export.js";
import { renameUser } from "../../users/people.js";
import { liveSessions } from "../../users/sessions.js";

// GET and POST /account: the signed-in person's own page, and their name.
export const account = new Hono<AppEnv>();
account.use(requireUser());

account.get("/", async (c) => {
  const user = userOf(c);
  const { db } = c.var.deps;
  const [sessions, mail, own] = await Promise.all([
    liveSessions(c.var.deps, user.id, c.var.sessionId),
    mailSettings(db, user),
    db.user.findUniqueOrThrow({ where: { id: user.id }, select: { passwordHash: true, language: true } }),
  ]);
  const page = (
    <AccountPage
      name={user.name}
      email={user.email}
      role={user.role}
      sessions={sessions}
      mail={mail}
      hasPassword={own.passwordHash !== ""}
      language={own.language}
      twoFactor={Boolean(user.twoFactor)}
    />
  );
  return c.render(page, { title: c.var.i18n.t("account.title") });
});

/** GET /account/export.zip: everything about the person, as one archive (src/users/export.ts). */
account.get("/export.zip", (c) => {
  const user = userOf(c);
  const day = c.var.deps.clock.now().toISOString().slice(0, 10);
  const local = user.email
    .split("@")[0]!
    .replace(/[^\w.-]+/g, "_")
    .slice(0, 40);
  return new Response(personArchive(c.var.deps, user), {
    headers: {
      "Content-Type": "application/zip",
      "Content-Disposition": contentDisposition("attachment", `hyperdesk-${local}-${day}.zip`),
      "Cache-Control": "private, no-store",
    },
  });
});

const nameForm = z.object({ name: text(z, "name", 1, 100) });

account.post("/", async (c) => {
  const form = await readForm(c, nameForm);
  if (!form.ok) {
    const nameForm = <NameForm name={form.values.name ?? ""} errors={form.errors} />;
    return refuseForm(c, 422, nameForm, c.var.i18n.t("account.title"));
  }
  await renameUser(c.var.deps, userOf(c).id, form.data.name);
  return done(c, c.var.i18n.t("account.nameSaved"), "/account", () => <NameForm name={form.data.name} />);
});
