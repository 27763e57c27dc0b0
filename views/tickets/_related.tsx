import { useT } from "../../src/i18n/view.js";
import type { LinkedTicket } from "../../src/tickets/links.js";
import { StatusBadge } from "../components/badges.js";
import { Csrf } from "../components/csrf.js";
import { Field } from "../components/field.js";
import { PostForm } from "../components/post-form.js";

/** What the link and merge forms come back with: the number typed, the message by it, a merge to confirm. */
export type RelatedForms = {
  link?: { value?: string; error?: string };
  merge?: { value?: string; error?: string; confirm?: MergeConfirm };
};
/** The ticket a merge would go into, shown before it happens (two requesters said plainly). */
export type MergeConfirm = { id: number; subject: string; otherRequester: boolean };

type Props = { ticketId: number; version: number; links: LinkedTicket[]; forms?: RelatedForms; oob?: boolean };

/**
 * Staff: the tickets linked with this one (each removable), a box to link another, and the merge
 * of this ticket into another, which asks once more, naming the other ticket, before it happens.
 * Plain forms: the link forms swap this section in place with htmx; the merge goes to the survivor.
 */
export function Related({ ticketId, version, links, forms, oob }: Props) {
  const t = useT();
  const confirm = forms?.merge?.confirm;
  return (
    <section id="related" aria-labelledby="related-title" data-hx-swap-oob={oob ? "true" : undefined}>
      <h2 id="related-title">{t("related.title")}</h2>
      {links.length ? (
        <ul class="related">
          {links.map((l) => (
            <li>
              <a href={`/tickets/${l.id}`}>{t("list.ticketNumber", { id: l.id })}</a> <bdi>{l.subject}</bdi>{" "}
              <StatusBadge status={l.status} staff />{" "}
              <PostForm class="inline" action={`/tickets/${ticketId}/links/${l.id}/delete`} target="related">
                <button type="submit" class="link">
                  {t("related.unlink", { id: l.id })}
                </button>
              </PostForm>
            </li>
          ))}
        </ul>
      ) : (
        <p class="meta">{t("related.none")}</p>
      )}
      <PostForm class="change" action={`/tickets/${ticketId}/links`} target="related">
        <Field name="link-number" label={t("related.linkLabel")} errors={{ "link-number": forms?.link?.error }}>
          {(a11y) => (
            <input
              {...a11y}
              name="number"
              inputmode="numeric"
              size={8}
              value={forms?.link?.value ?? ""}
              autocomplete="off"
            />
          )}
        </Field>
        <button type="submit">{t("related.link")}</button>
      </PostForm>
      <form class="change" method="post" action={`/tickets/${ticketId}/merge`} novalidate>
        <Csrf />
        <input type="hidden" name="version" value={String(version)} />
        {confirm ? (
          <div class="notice" role="alert">
            <p>
              {t("merge.confirm", { id: ticketId, into: confirm.id })} <bdi>{confirm.subject}</bdi>
            </p>
            <p>{confirm.otherRequester ? t("merge.otherRequester") : t("merge.sameRequester")}</p>
            <input type="hidden" name="into" value={String(confirm.id)} />
            <input type="hidden" name="confirm" value="yes" />
            <button type="submit" id="do-merge">
              {t("merge.go", { into: confirm.id })}
            </button>{" "}
            <a href={`/tickets/${ticketId}`}>{t("merge.cancel")}</a>
          </div>
        ) : (
          <>
            <Field
              name="merge-into"
              label={t("merge.label")}
              hint={t("merge.hint")}
              errors={{ "merge-into": forms?.merge?.error }}
              autofocus
            >
              {(a11y) => (
                <input
                  {...a11y}
                  name="into"
                  inputmode="numeric"
                  size={8}
                  value={forms?.merge?.value ?? ""}
                  autocomplete="off"
                />
              )}
            </Field>
            <button type="submit" class="secondary">
              {t("merge.next")}
            </button>
          </>
        )}
      </form>
    </section>
  );
}
