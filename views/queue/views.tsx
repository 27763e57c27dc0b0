import { useT } from "../../src/i18n/view.js";
import { COUNT_LIMIT, overLimit } from "../../src/tickets/count-limit.js";
import { type SavedView, VIEW_NAME_MAX } from "../../src/tickets/views.js";
import { Csrf } from "../components/csrf.js";
import { type FieldErrors, InputField } from "../components/field.js";
import { PostForm } from "../components/post-form.js";

/** The queue at a view (a query string, as viewOf writes it). */
export const viewUrl = (view: string) => (view ? `/queue?${view}` : "/queue");

/** A saved view with what this person may do with it and how many tickets it holds (null: too many to count). */
export type ViewListed = SavedView & { count?: number | null; mine: boolean };

/** The queue's saved views, each a link with its count, the one on screen marked; and where to manage them. */
export function SavedViewsNav({ views, current, oob }: { views: ViewListed[]; current: string; oob?: boolean }) {
  const t = useT();
  if (!views.length) return <div id="saved-views-nav" data-hx-swap-oob={oob ? "true" : undefined} />;
  const label = (v: ViewListed) =>
    v.count === null || v.count === undefined
      ? v.name
      : overLimit(v.count)
        ? t("views.countOver", { name: v.name, count: COUNT_LIMIT })
        : t("views.count", { name: v.name, count: v.count });
  return (
    <nav
      id="saved-views-nav"
      class="saved-views"
      aria-label={t("views.title")}
      data-hx-swap-oob={oob ? "true" : undefined}
    >
      <ul class="counts">
        {views.map((v) => (
          <li>
            <a href={viewUrl(v.query)} aria-current={v.query === current ? "true" : undefined}>
              <bdi>{label(v)}</bdi>
            </a>
            {v.ownerId === null && <span class="meta"> {t("views.sharedBadge")}</span>}
          </li>
        ))}
        <li>
          <a href="/queue/views">{t("views.manage")}</a>
        </li>
      </ul>
    </nav>
  );
}

/** "Save this view as": the filters on screen under a name; admins may keep it for every agent. */
export function SaveViewForm({
  view,
  admin,
  values,
  errors,
}: {
  view: string;
  admin: boolean;
  values?: Record<string, string>;
  errors?: FieldErrors;
}) {
  const t = useT();
  return (
    <PostForm id="save-view" class="save-view" action="/queue/views" target="queue-results">
      <input type="hidden" name="view" value={view} />
      <InputField
        type="text"
        name="viewName"
        label={t("views.saveAs")}
        value={values?.viewName}
        errors={errors}
        autofocus
        maxlength={VIEW_NAME_MAX}
        autocomplete="off"
      />
      {admin && (
        <div class="check">
          <input type="checkbox" id="view-shared" name="shared" value="1" checked={values?.shared === "1"} />
          <label for="view-shared">{t("views.shared")}</label>
        </div>
      )}
      <button type="submit" class="secondary">
        {t("views.save")}
      </button>
    </PostForm>
  );
}

/** /queue/views: every view this person sees, to open, rename or remove (shared ones: admins). */
export function ViewsPage({ views, errors }: { views: ViewListed[]; errors?: { id: number; message: string } }) {
  const t = useT();
  return (
    <section id="saved-views">
      <h1>{t("views.title")}</h1>
      <p>{t("views.lead")}</p>
      {views.length === 0 ? (
        <p class="meta">{t("views.none")}</p>
      ) : (
        <ul class="plain view-list">
          {views.map((v) => (
            <li id={`view-${v.id}`}>
              <h2>
                <a href={viewUrl(v.query)}>
                  <bdi>{v.name}</bdi>
                </a>
                {v.ownerId === null && <span class="meta"> {t("views.sharedBadge")}</span>}
              </h2>
              <p class="meta">
                <code dir="ltr">{viewUrl(v.query)}</code>
              </p>
              {v.mine && (
                <>
                  <form method="post" action={`/queue/views/${v.id}`} class="inline">
                    <Csrf />
                    <InputField
                      type="text"
                      name={`name-${v.id}`}
                      label={t("views.newName", { name: v.name })}
                      value={v.name}
                      errors={errors?.id === v.id ? { [`name-${v.id}`]: errors.message } : undefined}
                      autofocus={errors?.id === v.id}
                      maxlength={VIEW_NAME_MAX}
                      autocomplete="off"
                    />
                    <button type="submit" class="secondary">
                      {t("views.rename")}
                    </button>
                  </form>
                  <form method="post" action={`/queue/views/${v.id}/delete`} class="inline">
                    <Csrf />
                    <button type="submit" class="secondary" aria-label={t("views.deleteLabel", { name: v.name })}>
                      {t("views.delete")}
                    </button>
                  </form>
                </>
              )}
            </li>
          ))}
        </ul>
      )}
      <p>
        <a href="/queue">{t("views.back")}</a>
      </p>
    </section>
  );
}
