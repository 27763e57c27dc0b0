import type { MessageKey } from "../../src/i18n/translate.js";
import { useI18n } from "../../src/i18n/view.js";
import { statusLabel } from "../../src/i18n/words.js";
import { KINDS, type Kind, STATUS_NAME_MAX, type StatusInfo } from "../../src/tickets/statuses.js";
import { StatusBadge } from "../components/badges.js";
import { PostForm } from "../components/post-form.js";

type StatusRow = StatusInfo & { tickets: number };
/** A form sent back: which one (`id`, or "new"), what was typed, and why not. */
export type StatusRefusal = { id: number | "new"; value: string; kind?: string; error: string; field: "name" | "kind" };

const KIND_WORDS: Record<Kind, MessageKey> = {
  open: "statuses.kind.open",
  progress: "statuses.kind.progress",
  waiting: "statuses.kind.waiting",
  closed: "statuses.kind.closed",
};

/** A text box with its label and, when refused, its message next to it. */
function NameField(props: { id: string; label: string; value: string; error?: string }) {
  const { id, label, value, error } = props;
  return (
    <div class={error ? "field invalid" : "field"}>
      <label for={id}>{label}</label>
      {error && (
        <p id={`${id}-error`} class="error">
          {error}
        </p>
      )}
      <input
        id={id}
        name="name"
        type="text"
        maxlength={STATUS_NAME_MAX + 20}
        value={value}
        aria-invalid={error ? "true" : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
        autofocus={Boolean(error)}
      />
    </div>
  );
}

/**
 * Every status by kind, how many tickets have it (a link to them in the queue); the desk's own
 * with a box to rename and a button to remove; a form to add one. Plain forms: no script needed.
 */
export function StatusesPage({ statuses, refused }: { statuses: StatusRow[]; refused?: StatusRefusal }) {
  const { t } = useI18n();
  const adding = refused?.id === "new" ? refused : undefined;
  return (
    <section id="admin-statuses">
      <h1>{t("statuses.title")}</h1>
      <p>{t("statuses.lead")}</p>
      {KINDS.map((kind) => (
        <>
          <h2>{t(KIND_WORDS[kind])}</h2>
          <ul class="canned-list">
            {statuses
              .filter((s) => s.kind === kind)
              .map((s) => {
                const error = refused?.id === s.id ? refused.error : undefined;
                return (
                  <li>
                    <h3>
                      <StatusBadge status={s.name} />{" "}
                      <a href={`/queue?status=${encodeURIComponent(s.name)}`} class="meta">
                        {t("statuses.used", { count: s.tickets })}
                      </a>
                      {s.id === null && <span class="meta"> · {t("statuses.builtIn")}</span>}
                    </h3>
                    {s.id !== null && (
                      <>
                        <PostForm
                          id={`rename-${s.id}`}
                          class="change"
                          action={`/admin/statuses/${s.id}`}
                          target="admin-statuses"
                        >
                          <NameField
                            id={`status-${s.id}`}
                            label={t("statuses.renameLabel", { name: statusLabel(t, s.name) })}
                            value={error ? refused!.value : s.name}
                            error={error}
                          />
                          <button type="submit" class="secondary">
                            {t("statuses.renameButton")}
                          </button>
                        </PostForm>
                        <PostForm class="inline" action={`/admin/statuses/${s.id}/delete`} target="admin-statuses">
                          <button type="submit" class="link" aria-label={t("statuses.removeNamed", { name: s.name })}>
                            {t("statuses.remove")}
                          </button>
                        </PostForm>
                      </>
                    )}
                  </li>
                );
              })}
          </ul>
        </>
      ))}
      <h2>{t("statuses.addTitle")}</h2>
      <PostForm id="add-status" action="/admin/statuses" target="admin-statuses">
        <NameField
          id="status-name"
          label={t("statuses.name")}
          value={adding?.value ?? ""}
          error={adding?.field === "name" ? adding.error : undefined}
        />
        <fieldset class={adding?.field === "kind" ? "invalid" : undefined}>
          <legend>{t("statuses.kind")}</legend>
          {adding?.field === "kind" && (
            <p id="kind-error" class="error">
              {adding.error}
            </p>
          )}
          {KINDS.map((kind) => (
            <div class="check">
              <input
                type="radio"
                id={`kind-${kind}`}
                name="kind"
                value={kind}
                checked={(adding?.kind ?? "progress") === kind}
              />
              <label for={`kind-${kind}`}>{t(KIND_WORDS[kind])}</label>
            </div>
          ))}
        </fieldset>
        <div class="actions">
          <button type="submit">{t("statuses.addButton")}</button>
        </div>
      </PostForm>
    </section>
  );
}
