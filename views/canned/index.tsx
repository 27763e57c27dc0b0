import { type Canned, PLACEHOLDERS } from "../../src/canned/replies.js";
import { useT } from "../../src/i18n/view.js";
import { Csrf } from "../components/csrf.js";
import { ErrorSummary, Field, type FieldErrors, InputField } from "../components/field.js";
import { PostForm } from "../components/post-form.js";

/** The canned replies an agent may use, searchable by title, each with what they may do with it. */
export function CannedListPage({
  rows,
  q,
  editable,
}: {
  rows: Canned[];
  q?: string;
  editable: (row: Canned) => boolean;
}) {
  const t = useT();
  return (
    <section id="canned">
      <h1>{t("canned.title")}</h1>
      <p>{t("canned.lead")}</p>
      <p>
        <a href="/canned/new" class="button">
          {t("canned.new")}
        </a>
      </p>
      <form method="get" action="/canned" class="search" role="search">
        <label for="q">{t("canned.search")}</label>{" "}
        <input id="q" name="q" type="search" value={q ?? ""} maxlength={100} />{" "}
        <button type="submit" class="secondary">
          {t("canned.searchButton")}
        </button>
      </form>
      {rows.length === 0 ? (
        <p class="meta">{t(q ? "canned.noMatch" : "canned.empty")}</p>
      ) : (
        <ul class="canned-list">
          {rows.map((row) => (
            <li id={`canned-${row.id}`}>
              <h2>
                <bdi>{row.title}</bdi>{" "}
                <span class="badge">{t(row.ownerId === null ? "canned.sharedBadge" : "canned.mineBadge")}</span>
              </h2>
              <div class="reply-body" dir="auto">
                {row.body}
              </div>
              {editable(row) && (
                <div class="actions">
                  <a href={`/canned/${row.id}`}>{t("canned.edit")}</a>
                  <form method="post" action={`/canned/${row.id}/delete`} class="inline">
                    <Csrf />
                    <button type="submit" class="link danger">
                      {t("canned.delete")}
                    </button>
                  </form>
                </div>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** A new canned reply or one being changed: title, text (placeholders listed), and for admins "shared". */
export function CannedFormPage({
  id,
  values,
  errors,
  admin,
}: {
  id?: number;
  values: Record<string, string>;
  errors?: FieldErrors;
  admin: boolean;
}) {
  const t = useT();
  const labels = { title: t("canned.fieldTitle"), body: t("canned.fieldBody") };
  const list = PLACEHOLDERS.map((p) => `{{${p}}}`).join(", ");
  return (
    <section id="canned-form-page">
      <p class="meta">
        <a href="/canned">{t("canned.back")}</a>
      </p>
      <h1>{t(id === undefined ? "canned.new" : "canned.editTitle")}</h1>
      <ErrorSummary errors={errors} labels={labels} />
      <PostForm id="canned-form" action={id === undefined ? "/canned" : `/canned/${id}`} target="canned-form-page">
        <InputField
          name="title"
          type="text"
          label={labels.title}
          value={values.title}
          errors={errors}
          maxlength={100}
        />
        <Field name="body" label={labels.body} errors={errors} hint={t("canned.bodyHint", { list })} count={10_000}>
          {(a) => (
            <textarea {...a} rows={8} dir="auto">
              {values.body ?? ""}
            </textarea>
          )}
        </Field>
        {admin && (
          <div class="check">
            <input type="checkbox" id="shared" name="shared" value="1" checked={values.shared === "1"} />
            <label for="shared">{t("canned.sharedField")}</label>
          </div>
        )}
        <div class="actions">
          <button type="submit">{t("canned.save")}</button>
        </div>
      </PostForm>
    </section>
  );
}
