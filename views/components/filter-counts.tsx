import { useI18n, useT } from "../../src/i18n/view.js";
/** "All 12 · Waiting 3 · Failed 1": links that filter a list by one field, each with its count, the current one marked. */
export function FilterCounts<K extends string>({
  label,
  base,
  param,
  labels,
  counts,
  current,
}: {
  label: string;
  base: string;
  param: string;
  labels: Record<K, string>;
  counts: Record<K, number>;
  current?: K;
}) {
  const { t, number } = useI18n();
  const all = (Object.values(counts) as number[]).reduce((a, b) => a + b, 0);
  return (
    <nav aria-label={label}>
      <ul class="counts">
        <li>
          <a href={base} aria-current={current ? undefined : "page"}>
            {t("filter.all")} <span class="count">{number(all)}</span>
          </a>
        </li>
        {(Object.keys(labels) as K[]).map((key) => (
          <li>
            <a href={`${base}?${param}=${key}`} aria-current={current === key ? "page" : undefined}>
              {labels[key]} <span class="count">{number(counts[key])}</span>
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}

/** Keyset paging of a log, newest first: "Newest" back to the top, "Older" on to the next page. */
export function OlderNewer({ olderUrl, newestUrl }: { olderUrl?: string; newestUrl?: string }) {
  const t = useT();
  if (!olderUrl && !newestUrl) return null;
  return (
    <p class="pager">
      {newestUrl && <a href={newestUrl}>{t("filter.newest")}</a>}{" "}
      {olderUrl && (
        <a href={olderUrl} rel="next">
          {t("filter.older")}
        </a>
      )}
    </p>
  );
}
