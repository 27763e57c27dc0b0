import { createMiddleware } from "hono/factory";
import { PersonPage, PersonPanel } from "../../../../views/admin/users.js";
import type { AppEnv, Ctx } from "../../../env.js";
import { userOf } from "../../../http/auth/middleware.js";
import { done, fragment, isPartial } from "../../../http/htmx.js";
import { parseId } from "../../../http/ids.js";
import { findPerson } from "../../../users/people.js";

// What every /admin/users/:id/... route shares: the person of the URL, and the answer after a change.

/** The person of the URL as `c.var.person`; 404 when there is none. */
export const personOfUrl = createMiddleware<AppEnv>(async (c, next) => {
  const id = parseId(c.req.param("id"));
  const person = id && (await findPerson(c.var.deps, id));
  if (!person) return c.notFound();
  c.set("person", person);
  await next();
});

const reload = async (c: Ctx) => (await findPerson(c.var.deps, c.var.person.id))!;
const isSelf = (c: Ctx) => c.var.person.id === userOf(c).id;

/** After a change to a person: the panel in place, or 303 back to their page with the message. */
export const answerPerson = (c: Ctx, message: string) =>
  done(c, message, `/admin/users/${c.var.person.id}`, async () => (
    <PersonPanel person={await reload(c)} self={isSelf(c)} />
  ));

/** A change that was refused (409) or not understood (422): the person as they are, with why. */
export async function refusePerson(c: Ctx, status: 409 | 422, notice: string) {
  const person = await reload(c);
  c.status(status);
  if (isPartial(c)) return fragment(c, <PersonPanel person={person} self={isSelf(c)} notice={notice} />);
  return c.render(<PersonPage person={person} self={isSelf(c)} notice={notice} />, { title: person.name });
}
