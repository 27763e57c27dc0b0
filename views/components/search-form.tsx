import type { Child } from "hono/jsx";
import { useT } from "../../src/i18n/view.js";

/**
 * A GET form of filters: a plain form without JavaScript; with htmx the results follow as you
 * type (debounced) and the URL follows the filters, so the view can be bookmarked.
 */
export function SearchForm({
  action,
  results,
  q,
  submit,
  children,
}: {
  action: string;
  results: string;
  q?: string;
  submit: string;
  children?: Child;
}) {
  const t = useT();
  return (
    <form
      class="filters"
      method="get"
      action={action}
      role="search"
      data-hx-get={action}
      data-hx-target={`#${results}`}
      data-hx-swap="outerHTML"
      data-hx-trigger="input changed delay:400ms, submit"
      data-hx-push-url="true"
    >
      <div class="field">
        <label for="q">{t("filter.search")}</label>
        <input id="q" name="q" type="search" value={q ?? ""} maxlength={200} autocomplete="off" />
      </div>
      {children}
      <button type="submit">{submit}</button>
    </form>
  );
}
