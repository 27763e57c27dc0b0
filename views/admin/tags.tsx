import { useI18n } from "../../src/i18n/view.js";
import { PostForm } from "../components/post-form.js";

type TagRow = { id: number; name: string; tickets: number };

/** Every tag, how many tickets carry it (a link to them in the queue), and a box to rename or merge it. */
export function TagsPage({
  tags,
  refused,
}: {
  tags: TagRow[];
  refused?: { id: number; value: string; error: string };
}) {
  const { t } = useI18n();
  return (
    <section id="admin-tags">
      <h1>{t("tags.adminTitle")}</h1>
      <p>{t("tags.adminLead")}</p>
      {tags.length === 0 ? (
        <p class="meta">{t("tags.adminEmpty")}</p>
      ) : (
        <ul class="canned-list">
          {tags.map((tag) => {
            const error = refused?.id === tag.id ? refused.error : undefined;
            const box = `tag-${tag.id}`;
            return (
              <li>
                <h2>
                  <span class="badge tag">{tag.name}</span>{" "}
                  <a href={`/queue?tag=${encodeURIComponent(tag.name)}`} class="meta">
                    {t("tags.used", { count: tag.tickets })}
                  </a>
                </h2>
                <PostForm id={`rename-${tag.id}`} class="change" action={`/admin/tags/${tag.id}`} target="admin-tags">
                  <div class={error ? "field invalid" : "field"}>
                    <label for={box}>{t("tags.renameLabel", { name: tag.name })}</label>
                    {error && (
                      <p id={`${box}-error`} class="error">
                        {error}
                      </p>
                    )}
                    <input
                      id={box}
                      name="name"
                      type="text"
                      maxlength={60}
                      value={error ? refused!.value : tag.name}
                      aria-invalid={error ? "true" : undefined}
                      aria-describedby={error ? `${box}-error` : undefined}
                      autofocus={Boolean(error)}
                    />
                  </div>
                  <button type="submit" class="secondary">
                    {t("tags.renameButton")}
                  </button>
                </PostForm>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
