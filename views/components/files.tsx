import { useRequestContext } from "hono/jsx-renderer";
import { allowedInWords, kindsForHint } from "../../src/attachments/files.js";
import { typeName } from "../../src/attachments/types.js";
import type { AppEnv } from "../../src/env.js";
import { useI18n } from "../../src/i18n/view.js";
import { Field, type FieldErrors } from "./field.js";

export type FileRow = { id: number; name: string; type: string; size: number };

/**
 * The file input of a form that takes files: a plain `<input type=file multiple>` (the form posts
 * multipart/form-data with or without JavaScript), its limits and the kinds taken in the hint.
 * With htmx, a form that comes back with an error in its text keeps the files chosen
 * (`hx-preserve`); one that comes back with an error about the files asks for them again.
 */
export function FileField({ errors, keep }: { errors?: FieldErrors; keep?: boolean }) {
  const c = useRequestContext<AppEnv>();
  const deps = c.get("deps");
  const i18n = useI18n();
  const { t, size } = i18n;
  const { maxFiles, maxFileBytes, maxMessageBytes } = deps.config.attachments;
  const kinds = kindsForHint(deps);
  if (maxFiles === 0 || !kinds.length) return null;
  const total = maxMessageBytes < maxFiles * maxFileBytes ? size(maxMessageBytes) : "none";
  const hint = t("files.hint", {
    count: maxFiles,
    each: size(maxFileBytes),
    total,
    kinds: allowedInWords(i18n, kinds),
  });
  // app.js checks a chosen file at once, with these messages ({name}, {size}, {max} filled in there).
  const checks = {
    "data-too-many": t("files.tooMany", { count: "{count}", max: "{max}" }),
    "data-too-big": t("files.tooBig", { name: "{name}", size: "{size}", max: "{max}" }),
    "data-too-much": t("files.total", { size: "{size}", max: "{max}" }),
    "data-not-sent": t("files.notSent", { problem: "{problem}" }),
  };
  return (
    <Field name="files" label={t("files.attach")} hint={hint} errors={errors} autofocus>
      {(a) => (
        <input
          {...a}
          type="file"
          multiple={maxFiles > 1}
          data-max-files={maxFiles}
          data-max-file={maxFileBytes}
          data-max-total={maxMessageBytes}
          {...checks}
          data-hx-preserve={keep && !errors?.files ? "true" : undefined}
        />
      )}
    </Field>
  );
}

/**
 * A message's files: name, type and size, each a link. Images are links too, never loaded into
 * the page, so a kiosk on a slow link pulls a photo only when someone asks for it. The links are
 * not boosted: a file is not a page to swap in.
 */
export function FileList({ ticketId, files }: { ticketId: number; files: FileRow[] }) {
  const { t, size } = useI18n();
  if (!files.length) return null;
  return (
    <ul class="files" aria-label={t("files.attached")}>
      {files.map((f) => (
        <li>
          <a href={`/tickets/${ticketId}/files/${f.id}`} data-hx-boost="false">
            <bdi>{f.name}</bdi>
          </a>{" "}
          <span class="meta">
            ({typeName(t, f.type)}, {size(f.size)})
          </span>
        </li>
      ))}
    </ul>
  );
}
