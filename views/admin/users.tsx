import type { MessageKey } from "../../src/i18n/translate.js";
import { useT } from "../../src/i18n/view.js";
import { roleLabel } from "../../src/i18n/words.js";
import { ROLES, type Role } from "../../src/users/authorization.js";
import { Checkboxes } from "../components/checkboxes.js";
import { Csrf } from "../components/csrf.js";
import { ErrorSummary, type FieldErrors, InputField } from "../components/field.js";
import { PostForm } from "../components/post-form.js";
import { SelectField } from "../components/select.js";
import { Time } from "../components/time.js";

export type PersonRow = {
  id: number;
  name: string;
  email: string;
  role: string;
  disabledAt: Date | null;
  createdAt: Date;
  activeSessions: number;
  /** On the person's own page: since when they sign in with a second factor, and what happened to their account. */
  totpEnabledAt?: Date | null;
  passkeys?: number;
  twoFactor?: boolean;
  events?: PersonEventRow[];
  erasedAt?: Date | null;
};

export type PersonEventRow = { id: number; kind: string; createdAt: Date; actor: { name: string } | null };

const EVENT_WORDS: Record<string, MessageKey> = {
  "2fa_on": "people.event2faOn",
  "2fa_off": "people.event2faOff",
  "2fa_reset": "people.event2faReset",
  recovery_new: "people.eventRecoveryNew",
  recovery_used: "people.eventRecoveryUsed",
  passkey_added: "people.eventPasskeyAdded",
  passkey_removed: "people.eventPasskeyRemoved",
  erased: "people.eventErased",
};

/** What happened to a person's account, the latest first. */
function PersonHistory({ events }: { events: PersonEventRow[] }) {
  const t = useT();
  if (!events.length) return null;
  return (
    <>
      <h2>{t("people.history")}</h2>
      <ul class="plain history">
        {events.map((e) => (
          <li>
            <Time date={e.createdAt} />: {e.kind in EVENT_WORDS ? t(EVENT_WORDS[e.kind]!) : e.kind}
            {e.actor && ` (${e.actor.name})`}
          </li>
        ))}
      </ul>
    </>
  );
}

export function UsersPage({ people, q, nextUrl }: { people: PersonRow[]; q?: string; nextUrl?: string }) {
  const t = useT();
  return (
    <section>
      <h1>{t("people.title")}</h1>
      <p>
        <a class="button" href="/admin/users/new">
          {t("people.add")}
        </a>
      </p>
      <form class="filters" method="get" action="/admin/users" role="search">
        <div class="field">
          <label for="q">{t("people.search")}</label>
          <input id="q" name="q" type="search" value={q ?? ""} maxlength={200} />
        </div>
        <button type="submit">{t("filter.search")}</button>
      </form>
      {people.length === 0 ? (
        <p class="empty">{t("people.none")}</p>
      ) : (
        <table>
          <caption class="visually-hidden">{t("people.title")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("people.name")}</th>
              <th scope="col">{t("people.email")}</th>
              <th scope="col">{t("people.role")}</th>
              <th scope="col">{t("people.account")}</th>
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
                <td>{roleLabel(t, p.role)}</td>
                <td>{p.disabledAt ? t("people.disabled") : t("people.active")}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {nextUrl && (
        <p class="pager">
          <a href={nextUrl} rel="next">
            {t("people.next")}
          </a>
        </p>
      )}
    </section>
  );
}

/** One person and what an admin may do: role, disable or enable, end sessions. */
export function PersonPanel({ person, notice, self }: { person: PersonRow; notice?: string; self: boolean }) {
  const base = `/admin/users/${person.id}`;
  const t = useT();
  return (
    <div id="person">
      {notice && (
        <p class="notice" role="alert">
          {notice}
        </p>
      )}
      <dl class="facts">
        <dt>{t("people.email")}</dt>
        <dd>{person.email}</dd>
        <dt>{t("people.role")}</dt>
        <dd>{roleLabel(t, person.role)}</dd>
        <dt>{t("people.account")}</dt>
        <dd>
          {person.erasedAt ? (
            <>
              {t("erase.erasedOn")} <Time date={person.erasedAt} />
            </>
          ) : person.disabledAt ? (
            t("people.disabled")
          ) : (
            t("people.active")
          )}
        </dd>
        <dt>{t("people.joined")}</dt>
        <dd>
          <Time date={person.createdAt} />
        </dd>
        <dt>{t("people.signedInOn")}</dt>
        <dd>{t("people.devices", { count: person.activeSessions })}</dd>
        <dt>{t("people.twoFactor")}</dt>
        <dd>
          {person.twoFactor ? (
            <>
              {person.totpEnabledAt && (
                <>
                  {t("people.twoFactorOn")} <Time date={person.totpEnabledAt} />{" "}
                </>
              )}
              {t("people.passkeyCount", { count: person.passkeys ?? 0 })}
            </>
          ) : (
            t("people.twoFactorOff")
          )}
        </dd>
        <dt>{t("people.tickets")}</dt>
        <dd>
          <a href={`/queue?${new URLSearchParams({ requester: person.email })}`}>
            {t("people.ticketsOf", { name: person.name })}
          </a>
        </dd>
      </dl>
      <PostForm class="filters role-form" action={`${base}/role`} target="person">
        <SelectField
          id="role"
          label={t("people.role")}
          value={person.role}
          options={ROLES.map((r) => [r, roleLabel(t, r)] as const)}
        />
        <button type="submit" class="secondary">
          {t("people.changeRole")}
        </button>
      </PostForm>
      <div class="actions">
        {person.disabledAt ? (
          <PostForm action={`${base}/enable`} target="person">
            <button type="submit">{t("people.enable")}</button>
          </PostForm>
        ) : (
          !self && (
            <a
              class="button danger"
              href={`${base}/disable`}
              data-hx-post={`${base}/disable`}
              data-hx-target="#person"
              data-hx-swap="outerHTML"
              data-hx-confirm={t("people.disableConfirm", { name: person.name })}
            >
              {t("people.disable")}
            </a>
          )
        )}
        {person.activeSessions > 0 && !self && (
          <PostForm action={`${base}/sessions/end`} target="person">
            <button type="submit" class="secondary">
              {t("people.signOutAll")}
            </button>
          </PostForm>
        )}
        {person.twoFactor && !self && (
          <a
            class="button secondary"
            href={`${base}/two-factor`}
            data-hx-post={`${base}/two-factor`}
            data-hx-target="#person"
            data-hx-swap="outerHTML"
            data-hx-confirm={t("people.resetTwoFactorConfirm", { name: person.name })}
          >
            {t("people.resetTwoFactor")}
          </a>
        )}
      </div>
      {!self && !person.erasedAt && (
        <p>
          <a href={`${base}/erase`}>{t("erase.link", { name: person.name })}</a>
        </p>
      )}
      <PersonHistory events={person.events ?? []} />
    </div>
  );
}

export function PersonPage({ person, notice, self }: { person: PersonRow; notice?: string; self: boolean }) {
  return (
    <section>
      <p class="meta">
        <a href="/admin/users">{useT()("people.back")}</a>
      </p>
      <h1 dir="auto">{person.name}</h1>
      <PersonPanel person={person} notice={notice} self={self} />
    </section>
  );
}

/** The page a browser without JavaScript sees before disabling someone. */
export function ConfirmDisablePage({ person }: { person: PersonRow }) {
  const t = useT();
  return (
    <section class="narrow">
      <h1>{t("people.disableTitle", { name: person.name })}</h1>
      <p>{t("people.disableLead", { name: person.name, email: person.email })}</p>
      <form method="post" action={`/admin/users/${person.id}/disable`} class="actions">
        <Csrf />
        <button type="submit" class="danger">
          {t("people.disable")}
        </button>
        <a href={`/admin/users/${person.id}`}>{t("people.cancel")}</a>
      </form>
    </section>
  );
}

/** Erasing a person: what it does, what may be kept, and their address typed to confirm. */
export function ConfirmErasePage({
  person,
  errors,
  choice = { keepText: false, keepFiles: false },
}: {
  person: PersonRow;
  errors?: FieldErrors;
  choice?: { keepText: boolean; keepFiles: boolean };
}) {
  const t = useT();
  return (
    <section class="narrow" id="erase">
      <h1>{t("erase.title", { name: person.name })}</h1>
      <p>{t("erase.lead", { name: person.name })}</p>
      <ul>
        <li>{t("erase.what1")}</li>
        <li>{t("erase.what2")}</li>
        <li>{t("erase.what3")}</li>
      </ul>
      <ErrorSummary errors={errors} labels={{ confirm: t("erase.confirm", { email: person.email }) }} />
      <form method="post" action={`/admin/users/${person.id}/erase`} novalidate>
        <Csrf />
        <Checkboxes
          legend={t("erase.keepLegend")}
          name="keep"
          idPrefix="keep"
          options={[
            { value: "text", label: t("erase.keepText"), checked: choice.keepText },
            { value: "files", label: t("erase.keepFiles"), checked: choice.keepFiles },
          ]}
        />
        <InputField
          name="confirm"
          label={t("erase.confirm", { email: person.email })}
          errors={errors}
          type="text"
          autocomplete="off"
          required
          maxlength={300}
        />
        <div class="actions">
          <button type="submit" class="danger">
            {t("erase.submit", { name: person.name })}
          </button>
          <a href={`/admin/users/${person.id}`}>{t("people.cancel")}</a>
        </div>
      </form>
    </section>
  );
}

/** "Reset Ann's two-step sign-in?": asked once more without JavaScript. */
export function ConfirmResetTwoFactorPage({ person }: { person: PersonRow }) {
  const t = useT();
  return (
    <section class="narrow">
      <h1>{t("people.resetTwoFactorTitle", { name: person.name })}</h1>
      <p>{t("people.resetTwoFactorLead", { name: person.name, email: person.email })}</p>
      <form method="post" action={`/admin/users/${person.id}/two-factor`} class="actions">
        <Csrf />
        <button type="submit" class="danger">
          {t("people.resetTwoFactor")}
        </button>
        <a href={`/admin/users/${person.id}`}>{t("people.cancel")}</a>
      </form>
    </section>
  );
}

const ROLE_MEANS: Record<Role, MessageKey> = {
  admin: "people.meansAdmin",
  agent: "people.meansAgent",
  requester: "people.meansRequester",
};

/** "Make Ann an admin?": giving or taking admin rights, asked once more (page without JS, in place with htmx). */
export function ConfirmRolePanel({ person, role }: { person: PersonRow; role: Role }) {
  const t = useT();
  const { name, email } = person;
  return (
    <div id="person" class="confirm">
      <h2>{t("people.makeTitle", { name, role })}</h2>
      <p>
        {t("people.isNow", { name, email, role: person.role })} {t(ROLE_MEANS[role])}
      </p>
      <PostForm class="actions" action={`/admin/users/${person.id}/role`} target="person">
        <input type="hidden" name="role" value={role} />
        <input type="hidden" name="confirm" value="1" />
        <button type="submit" class={role === "admin" ? "danger" : undefined}>
          {t("people.make", { name, role })}
        </button>
        <a href={`/admin/users/${person.id}`}>{t("people.cancel")}</a>
      </PostForm>
    </div>
  );
}
