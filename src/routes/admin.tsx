import { Hono } from "hono";
import { z } from "zod";
import type { AppEnv, Ctx } from "../env.js";
import { can, ROLES } from "../lib/authorization.js";
import { requireUser } from "../lib/auth/middleware.js";
import { endSessions } from "../lib/auth/session.js";
import { setFlash } from "../lib/flash.js";
import { readForm, searchText } from "../lib/forms.js";
import { fragment, isPartial, seeOther } from "../lib/htmx.js";
import { contains, MAX_ID } from "../lib/tickets.js";
import { Flash } from "../../views/components/flash.js";
import { ConfirmDisablePage, PersonPage, PersonPanel, type PersonRow, UsersPage } from "../../views/admin/users.js";

export const admin = new Hono<AppEnv>();
admin.use("/admin/*", requireUser(can.manageUsers));

const PAGE = 50;

admin.get("/admin/users", async (c) => {
  const { deps } = c.var;
  const q = searchText().parse(c.req.query("q")) || undefined;
  const after = Number(c.req.query("after") ?? 0);
  const where = {
    ...(q ? { OR: [{ name: contains(deps, q) }, { email: contains(deps, q) }] } : {}),
    ...(Number.isSafeInteger(after) && after > 0 && after <= MAX_ID ? { id: { gt: after } } : {}),
  };
  const rows = await deps.db.user.findMany({ where, orderBy: { id: "asc" }, take: PAGE + 1 });
  const people = rows.slice(0, PAGE).map((u) => ({ ...u, activeSessions: 0 }));
  const nextUrl =
    rows.length > PAGE
      ? `/admin/users?${new URLSearchParams({ ...(q ? { q } : {}), after: String(people[people.length - 1]!.id) })}`
      : undefined;
  return c.render(<UsersPage people={people} q={q} nextUrl={nextUrl} />, { title: "People" });
});

async function loadPerson(c: Ctx): Promise<PersonRow | null> {
  const id = Number(c.req.param("id"));
  if (!Number.isSafeInteger(id) || id < 1 || id > MAX_ID) return null;
  const { db, clock, config } = c.var.deps;
  const user = await db.user.findUnique({ where: { id } });
  if (!user) return null;
  const now = clock.now();
  const activeSessions = await db.session.count({
    where: {
      userId: id,
      revokedAt: null,
      expiresAt: { gt: now },
      lastSeenAt: { gt: new Date(now.getTime() - config.sessionIdleMs) },
    },
  });
  return { ...user, activeSessions };
}

/** After an admin action: the panel in place, or 303 back to the person's page. */
async function answer(c: Ctx, message: string, status: 200 | 409 | 422 = 200) {
  const person = (await loadPerson(c))!;
  const self = person.id === c.var.user!.id;
  if (isPartial(c) || status !== 200) {
    c.status(status);
    if (isPartial(c))
      return fragment(
        c,
        <>
          <PersonPanel person={person} self={self} notice={status !== 200 ? message : undefined} />
          <Flash message={status === 200 ? message : null} oob />
        </>,
      );
    return c.render(<PersonPage person={person} self={self} notice={message} />, { title: person.name });
  }
  setFlash(c, message);
  return seeOther(c, `/admin/users/${person.id}`);
}

type Change = { role: string } | { disabledAt: Date };

/**
 * Makes a change to a person unless it would leave no active admin. Every such change first writes
 * one shared row, so changes to admins take turns and each counts the admins the one before left:
 * two admins demoting or disabling each other at the same moment cannot both succeed.
 */
async function changeUnlessLastAdmin(c: Ctx, person: PersonRow, change: Change): Promise<"done" | "last admin"> {
  const staysAdmin = "role" in change && change.role === "admin";
  return c.var.deps.db.$transaction(async (tx) => {
    await tx.setting.upsert({
      where: { key: "admins_changing" },
      create: { key: "admins_changing", value: "" },
      update: { value: "" },
    });
    const now = await tx.user.findUniqueOrThrow({ where: { id: person.id }, select: { role: true, disabledAt: true } });
    if (now.role === "admin" && !now.disabledAt && !staysAdmin) {
      const others = await tx.user.count({ where: { role: "admin", disabledAt: null, id: { not: person.id } } });
      if (others === 0) return "last admin" as const;
    }
    await tx.user.update({ where: { id: person.id }, data: change });
    return "done" as const;
  });
}

admin.get("/admin/users/:id{[0-9]+}", async (c) => {
  const person = await loadPerson(c);
  if (!person) return c.notFound();
  return c.render(<PersonPage person={person} self={person.id === c.var.user!.id} />, { title: person.name });
});

admin.post("/admin/users/:id{[0-9]+}/role", async (c) => {
  const person = await loadPerson(c);
  if (!person) return c.notFound();
  const form = await readForm(c, z.object({ role: z.enum(ROLES) }));
  if (!form.ok) return answer(c, "Choose requester, agent or admin.", 422);
  const result = await changeUnlessLastAdmin(c, person, { role: form.data.role });
  if (result === "last admin")
    return answer(c, `${person.name} is the last admin; make someone else an admin first.`, 409);
  return answer(c, `${person.name} is now ${/^[aeiou]/.test(form.data.role) ? "an" : "a"} ${form.data.role}.`);
});

admin.get("/admin/users/:id{[0-9]+}/disable", async (c) => {
  const person = await loadPerson(c);
  if (!person) return c.notFound();
  return c.render(<ConfirmDisablePage person={person} />, { title: `Disable ${person.name}?` });
});

admin.post("/admin/users/:id{[0-9]+}/disable", async (c) => {
  const person = await loadPerson(c);
  if (!person) return c.notFound();
  if (person.id === c.var.user!.id) return answer(c, "You cannot disable your own account.", 409);
  const result = await changeUnlessLastAdmin(c, person, { disabledAt: c.var.deps.clock.now() });
  if (result === "last admin") return answer(c, `${person.name} is the last admin and cannot be disabled.`, 409);
  await endSessions(c.var.deps, person.id);
  return answer(c, `${person.name} is disabled and signed out everywhere.`);
});

admin.post("/admin/users/:id{[0-9]+}/enable", async (c) => {
  const person = await loadPerson(c);
  if (!person) return c.notFound();
  await c.var.deps.db.user.update({ where: { id: person.id }, data: { disabledAt: null } });
  return answer(c, `${person.name} can sign in again.`);
});

admin.post("/admin/users/:id{[0-9]+}/sessions/end", async (c) => {
  const person = await loadPerson(c);
  if (!person) return c.notFound();
  const ended = await endSessions(c.var.deps, person.id, person.id === c.var.user!.id ? c.var.sessionId! : undefined);
  return answer(c, `Signed ${person.name} out of ${ended} session${ended === 1 ? "" : "s"}.`);
});
