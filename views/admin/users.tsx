import { PostForm } from "../components/post-form.js";
import { Csrf } from "../components/csrf.js";
import { Time } from "../components/time.js";
import { same, SelectField } from "../components/select.js";
import { ROLES } from "../../src/lib/authorization.js";

export type PersonRow = {
  id: number;
  name: string;
  email: string;
  role: string;
  disabledAt: Date | null;
  createdAt: Date;
  activeSessions: number;
};

export function UsersPage({ people, q, nextUrl }: { people: PersonRow[]; q?: string; nextUrl?: string }) {
  return (
    <section>
      <h1>People</h1>
      <form class="filters" method="get" action="/admin/users" role="search">
        <div class="field">
          <label for="q">Search name or email</label>
          <input id="q" name="q" type="search" value={q ?? ""} maxlength={200} />
        </div>
        <button type="submit">Search</button>
      </form>
      {people.length === 0 ? (
        <p class="empty">Nobody matches.</p>
      ) : (
        <table>
          <caption class="visually-hidden">People</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Email</th>
              <th scope="col">Role</th>
              <th scope="col">Account</th>
            </tr>
          </thead>
          <tbody>
            {people.map((p) => (
              <tr>
                <td>
                  <a href={`/admin/users/${p.id}`} dir="auto">
                    {p.name}
                  </a>
                </td>
                <td>{p.email}</td>
                <td>{p.role}</td>
                <td>{p.disabledAt ? "Disabled" : "Active"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {nextUrl && (
        <p class="pager">
          <a href={nextUrl} rel="next">
            Next page of people
          </a>
        </p>
      )}
    </section>
  );
}

/** One person and what an admin may do: role, disable or enable, end sessions. */
export function PersonPanel({ person, notice, self }: { person: PersonRow; notice?: string; self: boolean }) {
  const base = `/admin/users/${person.id}`;
  return (
    <div id="person">
      {notice && (
        <p class="notice" role="alert">
          {notice}
        </p>
      )}
      <dl class="facts">
        <dt>Email</dt>
        <dd>{person.email}</dd>
        <dt>Role</dt>
        <dd>{person.role}</dd>
        <dt>Account</dt>
        <dd>{person.disabledAt ? "Disabled" : "Active"}</dd>
        <dt>Joined</dt>
        <dd>
          <Time date={person.createdAt} />
        </dd>
        <dt>Signed in on</dt>
        <dd>
          {person.activeSessions} device{person.activeSessions === 1 ? "" : "s"}
        </dd>
        <dt>Tickets</dt>
        <dd>
          <a href={`/queue?${new URLSearchParams({ requester: person.email })}`}>Tickets {person.name} opened</a>
        </dd>
      </dl>
      <PostForm class="filters role-form" action={`${base}/role`} target="person">
        <SelectField id="role" label="Role" value={person.role} options={same(ROLES)} />
        <button type="submit" class="secondary">
          Change role
        </button>
      </PostForm>
      <div class="actions">
        {person.disabledAt ? (
          <PostForm action={`${base}/enable`} target="person">
            <button type="submit">Enable account</button>
          </PostForm>
        ) : (
          !self && (
            <a
              class="button danger"
              href={`${base}/disable`}
              data-hx-post={`${base}/disable`}
              data-hx-target="#person"
              data-hx-swap="outerHTML"
              data-hx-confirm={`Disable ${person.name}? They are signed out everywhere at once.`}
            >
              Disable account
            </a>
          )
        )}
        {person.activeSessions > 0 && !self && (
          <PostForm action={`${base}/sessions/end`} target="person">
            <button type="submit" class="secondary">
              Sign out of every device
            </button>
          </PostForm>
        )}
      </div>
    </div>
  );
}

export function PersonPage({ person, notice, self }: { person: PersonRow; notice?: string; self: boolean }) {
  return (
    <section>
      <p class="meta">
        <a href="/admin/users">Back to people</a>
      </p>
      <h1 dir="auto">{person.name}</h1>
      <PersonPanel person={person} notice={notice} self={self} />
    </section>
  );
}

/** The page a browser without JavaScript sees before disabling someone. */
export function ConfirmDisablePage({ person }: { person: PersonRow }) {
  return (
    <section class="narrow">
      <h1>Disable {person.name}?</h1>
      <p>
        {person.name} ({person.email}) will be signed out on every device at once and cannot sign in until an admin
        enables the account again. Their tickets stay.
      </p>
      <form method="post" action={`/admin/users/${person.id}/disable`} class="actions">
        <Csrf />
        <button type="submit" class="danger">
          Disable account
        </button>
        <a href={`/admin/users/${person.id}`}>Cancel</a>
      </form>
    </section>
  );
}

const ROLE_MEANS: Record<string, string> = {
  admin:
    "Admins can do everything: change anyone's role, disable accounts, sign people out, and read every email the desk sends.",
  agent: "Agents work the queue: they see every ticket and its internal notes.",
  requester: "Requesters see only their own tickets.",
};

/** "Make Ann an admin?": giving or taking admin rights, asked once more (page without JS, in place with htmx). */
export function ConfirmRolePanel({ person, role }: { person: PersonRow; role: string }) {
  const article = /^[aeiou]/.test(role) ? "an" : "a";
  return (
    <div id="person" class="confirm">
      <h2>
        Make {person.name} {article} {role}?
      </h2>
      <p>
        {person.name} ({person.email}) is {/^[aeiou]/.test(person.role) ? "an" : "a"} {person.role} now.{" "}
        {ROLE_MEANS[role]}
      </p>
      <PostForm class="actions" action={`/admin/users/${person.id}/role`} target="person">
        <input type="hidden" name="role" value={role} />
        <input type="hidden" name="confirm" value="1" />
        <button type="submit" class={role === "admin" ? "danger" : undefined}>
          Make {person.name} {article} {role}
        </button>
        <a href={`/admin/users/${person.id}`}>Cancel</a>
      </PostForm>
    </div>
  );
}
