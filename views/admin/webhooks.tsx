import type { MessageKey } from "../../src/i18n/translate.js";
import { useI18n, useT } from "../../src/i18n/view.js";
import type { DeliveryRow } from "../../src/webhooks/deliveries.js";
import { DESCRIPTION_MAX, type EndpointRow, URL_MAX } from "../../src/webhooks/endpoints.js";
import { DEFAULT_EVENTS, EVENT_TYPES, type EventType } from "../../src/webhooks/events.js";
import { Csrf } from "../components/csrf.js";
import { Field, type FieldErrors } from "../components/field.js";
import { OlderNewer } from "../components/filter-counts.js";
import { PostForm } from "../components/post-form.js";
import { Time } from "../components/time.js";

export type EndpointForm = { url?: string; description?: string; events?: string[]; enabled?: boolean };
type Endpoint = Omit<EndpointRow, "waiting" | "failed" | "events"> & { events: string };

const eventKey = (type: string) => `webhooks.event.${type.replace("ticket.", "")}` as MessageKey;

/** A secret just made: shown this once, with what to do with it. */
function NewSecret({ secret }: { secret: string }) {
  const t = useT();
  return (
    <div class="notice" role="alert" id="new-secret">
      <p>
        <strong>{t("webhooks.secretMade")}</strong> {t("webhooks.secretOnce")}
      </p>
      <p>
        <code dir="ltr" class="token">
          {secret}
        </code>
      </p>
      <p>{t("webhooks.secretHow")}</p>
    </div>
  );
}

/** The endpoint's fields: address, what it is for, the events it wants (and on/off when editing). */
function EndpointFields({
  values,
  errors,
  editing,
}: {
  values: EndpointForm;
  errors?: FieldErrors;
  editing?: boolean;
}) {
  const t = useT();
  const chosen = values.events ?? DEFAULT_EVENTS;
  return (
    <>
      <Field name="url" label={t("webhooks.url")} hint={t("webhooks.urlHint")} errors={errors} autofocus>
        {(a11y) => <input {...a11y} type="url" dir="ltr" maxlength={URL_MAX} value={values.url ?? ""} />}
      </Field>
      <Field name="description" label={t("webhooks.description")} errors={errors}>
        {(a11y) => <input {...a11y} type="text" maxlength={DESCRIPTION_MAX} value={values.description ?? ""} />}
      </Field>
      <fieldset
        class={errors?.events ? "invalid" : undefined}
        aria-describedby={errors?.events ? "events-error" : undefined}
      >
        <legend>{t("webhooks.events")}</legend>
        {errors?.events && (
          <p id="events-error" class="error">
            {errors.events}
          </p>
        )}
        {EVENT_TYPES.map((type) => (
          <div class="check">
            <input
              type="checkbox"
              id={`event-${type.replace(".", "-")}`}
              name="events"
              value={type}
              checked={chosen.includes(type as EventType)}
            />
            <label for={`event-${type.replace(".", "-")}`}>
              {t(eventKey(type))} <code dir="ltr">{type}</code>
            </label>
          </div>
        ))}
      </fieldset>
      {editing && (
        <div class="check">
          <input type="checkbox" id="enabled" name="enabled" value="on" checked={values.enabled} />
          <label for="enabled">{t("webhooks.enabled")}</label>
        </div>
      )}
    </>
  );
}

/** On, off (by an admin), or turned off after failing for a day; failing since when. */
function EndpointState({ e }: { e: Pick<Endpoint, "enabled" | "failingSince" | "offReason"> }) {
  const { t, rich } = useI18n();
  if (!e.enabled)
    return <strong class="badge">{t(e.offReason === "failing" ? "webhooks.offFailing" : "webhooks.off")}</strong>;
  if (e.failingSince)
    return (
      <strong class="badge">
        {rich("webhooks.failingSince", { when: (<Time date={e.failingSince} />) as never })}
      </strong>
    );
  return <span class="badge">{t("webhooks.on")}</span>;
}

type ListProps = {
  endpoints: EndpointRow[];
  values?: EndpointForm;
  errors?: FieldErrors;
  /** An endpoint just made, with its secret. */
  made?: { id: number; url: string; secret: string };
  allowPrivate: boolean;
};

/** /admin/webhooks: every endpoint and how it stands; a form to add one. */
export function WebhooksPage({ endpoints, values, errors, made, allowPrivate }: ListProps) {
  const t = useT();
  return (
    <section id="webhooks" aria-labelledby="webhooks-title">
      <h1 id="webhooks-title">{t("webhooks.title")}</h1>
      <p>
        {t("webhooks.lead")} <a href="/api#webhooks">{t("webhooks.docs")}</a>
      </p>
      {made && (
        <>
          <p>
            {t("webhooks.added")} <a href={`/admin/webhooks/${made.id}`}>{made.url}</a>
          </p>
          <NewSecret secret={made.secret} />
        </>
      )}
      {endpoints.length ? (
        <ul class="canned-list">
          {endpoints.map((e) => (
            <li>
              <h2>
                <a href={`/admin/webhooks/${e.id}`} dir="ltr">
                  {e.url}
                </a>
              </h2>
              <p>
                <EndpointState e={e} /> {e.description && <bdi>{e.description}</bdi>}
              </p>
              <p class="meta">
                {e.events.map((type) => t(eventKey(type))).join(", ")}
                {e.waiting > 0 && <> · {t("webhooks.waitingCount", { count: e.waiting })}</>}
                {e.failed > 0 && <> · {t("webhooks.failedCount", { count: e.failed })}</>}
              </p>
            </li>
          ))}
        </ul>
      ) : (
        <p class="meta">{t("webhooks.none")}</p>
      )}
      <h2>{t("webhooks.new")}</h2>
      {allowPrivate && <p class="notice">{t("webhooks.privateAllowed")}</p>}
      <form method="post" action="/admin/webhooks" novalidate>
        <Csrf />
        <EndpointFields values={values ?? {}} errors={errors} />
        <button type="submit">{t("webhooks.add")}</button>
      </form>
    </section>
  );
}

const STATUS_KEY: Record<string, MessageKey> = {
  waiting: "outbox.waiting",
  sending: "outbox.sending",
  delivered: "webhooks.delivered",
  failed: "outbox.failed",
};

/** One delivery in the log: what, when, how it went (answer, time taken), the next try; "Send again". */
function DeliveryLine({ d, endpointId }: { d: DeliveryRow; endpointId: number }) {
  const { t, rich } = useI18n();
  return (
    <tr id={`delivery-${d.id}`}>
      <td>
        <Time date={d.createdAt} />
      </td>
      <td>
        <code dir="ltr">{d.type}</code>
        {d.ticketId && (
          <>
            {" "}
            <a href={`/tickets/${d.ticketId}`}>#{d.ticketId}</a>
          </>
        )}
        <br />
        <code dir="ltr" class="meta">
          {d.messageId}
        </code>
      </td>
      <td>
        <span class={`outbox-${d.status === "delivered" ? "sent" : d.status}`}>{t(STATUS_KEY[d.status]!)}</span>
        {d.attempts > 1 && <> {t("outbox.tries", { count: d.attempts })}</>}
        {d.status === "waiting" &&
          d.attempts > 0 &&
          rich("outbox.nextTry", { when: (<Time date={d.nextAttemptAt} />) as never })}
        {d.lastError && <p class="error">{d.lastError}</p>}
      </td>
      <td>
        {d.lastStatus !== null && <span dir="ltr">{`HTTP ${d.lastStatus}`}</span>}
        {d.lastMs !== null && <> · {t("webhooks.took", { ms: d.lastMs })}</>}
      </td>
      <td>
        {(d.status === "failed" || d.status === "delivered") && (
          <PostForm action={`/admin/webhooks/${endpointId}/deliveries/${d.id}/again`} target={`delivery-${d.id}`}>
            <button type="submit" class="secondary">
              {t("webhooks.sendAgain")}
            </button>
          </PostForm>
        )}
      </td>
    </tr>
  );
}

export { DeliveryLine };

type EndpointProps = {
  endpoint: Endpoint;
  deliveries: DeliveryRow[];
  olderUrl?: string;
  newestUrl?: string;
  values?: EndpointForm;
  errors?: FieldErrors;
  secret?: string;
};

/** /admin/webhooks/:id: the endpoint's settings, its secret, a test message, and its delivery log. */
export function WebhookPage({ endpoint: e, deliveries, olderUrl, newestUrl, values, errors, secret }: EndpointProps) {
  const t = useT();
  const form = values ?? { url: e.url, description: e.description, events: e.events.split(" "), enabled: e.enabled };
  return (
    <section id="webhook" aria-labelledby="webhook-title">
      <p class="meta">
        <a href="/admin/webhooks">{t("webhooks.back")}</a>
      </p>
      <h1 id="webhook-title" dir="ltr">
        {e.url}
      </h1>
      <p>
        <EndpointState e={e} />
      </p>
      {secret && <NewSecret secret={secret} />}
      <form method="post" action={`/admin/webhooks/${e.id}`} novalidate>
        <Csrf />
        <EndpointFields values={form} errors={errors} editing />
        <button type="submit">{t("webhooks.save")}</button>
      </form>
      <h2>{t("webhooks.actions")}</h2>
      <div class="actions">
        <form method="post" action={`/admin/webhooks/${e.id}/test`}>
          <Csrf />
          <button type="submit" class="secondary">
            {t("webhooks.test")}
          </button>
        </form>
        <form method="post" action={`/admin/webhooks/${e.id}/secret`}>
          <Csrf />
          <button type="submit" class="secondary">
            {t("webhooks.rotate")}
          </button>
        </form>
        <form method="post" action={`/admin/webhooks/${e.id}/delete`}>
          <Csrf />
          <button type="submit" class="danger">
            {t("webhooks.delete")}
          </button>
        </form>
      </div>
      <h2 id="log">{t("webhooks.log")}</h2>
      {deliveries.length ? (
        <table>
          <caption class="visually-hidden">{t("webhooks.log")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("outbox.written")}</th>
              <th scope="col">{t("webhooks.eventColumn")}</th>
              <th scope="col">{t("filter.status")}</th>
              <th scope="col">{t("webhooks.answer")}</th>
              <th scope="col">
                <span class="visually-hidden">{t("account.action")}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {deliveries.map((d) => (
              <DeliveryLine d={d} endpointId={e.id} />
            ))}
          </tbody>
        </table>
      ) : (
        <p class="meta">{t("webhooks.noDeliveries")}</p>
      )}
      <OlderNewer olderUrl={olderUrl} newestUrl={newestUrl} />
    </section>
  );
}
