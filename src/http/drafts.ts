import { randomUUID } from "node:crypto";
import type { Deps } from "../env.js";
import type { FormValues } from "./forms.js";

// A kiosk signs people out after a few idle minutes: long enough to be safe, short enough to end
// while someone is still typing a ticket. What they typed is kept for them, and only them, until
// they sign in again and see it back in the same form.

const DAY = 86_400_000;
/** Drafts kept per person; each field is cut at 10,000 characters, the most a form takes. */
const MAX_PER_PERSON = 5;
/** The forms worth keeping, by the path they post to: the text fields, and the page showing the form. */
const FORMS: { post: RegExp; fields: string[]; page: (m: RegExpMatchArray) => string }[] = [
  { post: /^\/tickets$/, fields: ["subject", "description", "priority"], page: () => "/tickets/new" },
  { post: /^\/tickets\/(\d+)\/replies$/, fields: ["body", "kind"], page: (m) => `/tickets/${m[1]}` },
];

/** The page a person goes back to after signing in again, for a form posted to this path. */
export function pageOf(path: string): string {
  for (const form of FORMS) {
    const m = path.match(form.post);
    if (m) return form.page(m);
  }
  const ticket = path.match(/^\/tickets\/\d+/);
  return ticket ? ticket[0] : path.startsWith("/account") ? "/account" : "/tickets";
}

/** Keeps what was typed into a form posted to `path`; the draft's id, or undefined if nothing was typed. */
export async function keepDraft(
  deps: Deps,
  userId: number,
  path: string,
  values: FormValues,
): Promise<string | undefined> {
  const form = FORMS.find((f) => f.post.test(path));
  if (!form) return undefined;
  const fields = Object.fromEntries(
    form.fields.filter((f) => values[f]?.trim()).map((f) => [f, values[f]!.slice(0, 10_000)]),
  );
  if (!Object.keys(fields).some((f) => f !== "priority")) return undefined;
  const { db, clock } = deps;
  const now = clock.now();
  // The newest few per person: a kiosk left signed out in a loop cannot fill the table.
  const older = await db.draft.findMany({
    where: { userId },
    orderBy: { createdAt: "desc" },
    skip: MAX_PER_PERSON - 1,
    select: { id: true },
  });
  if (older.length) await db.draft.deleteMany({ where: { id: { in: older.map((d) => d.id) } } });
  const draft = await db.draft.create({
    data: { id: randomUUID(), userId, path: pageOf(path), fields: JSON.stringify(fields), createdAt: now },
  });
  return draft.id;
}

/**
 * The fields of this person's draft for this page, given back once: the row goes as it is read.
 * Another person's draft, an old one or a made-up id give nothing.
 */
export async function takeDraft(deps: Deps, userId: number, path: string, id: string | undefined): Promise<FormValues> {
  if (!id || !/^[0-9a-f-]{36}$/.test(id)) return {};
  const { db, clock } = deps;
  const where = { id, userId, path, createdAt: { gte: new Date(clock.now().getTime() - DAY) } };
  const draft = await db.draft.findFirst({ where });
  if (!draft || (await db.draft.deleteMany({ where: { id: draft.id } })).count === 0) return {};
  return JSON.parse(draft.fields) as FormValues;
}
