import { useRequestContext } from "hono/jsx-renderer";
import type { AppEnv } from "../../src/env.js";
import { allowedInWords, kindsForHint } from "../../src/attachments/files.js";
import { formatSize } from "../../src/attachments/names.js";
import { typeName } from "../../src/attachments/types.js";
import { Field, type FieldErrors } from "./field.js";

export type FileRow = { id: number; name: string; type: string; size: number };

/**
 * The file input of a form that takes files: a plain `<input type=file multiple>` (the form posts
 * multipart/form-data with or without JavaScript), its limits and the kinds taken in the hint.
 * With htmx, a form that comes back with an error in its text keeps the files chosen
 * (`hx-preserve`); one that comes back with an error about the files asks for them again.
 */
export function FileField({ errors, keep }: { errors?: FieldErrors; keep?: boolean }) {
  const { deps } = useRequestContext<AppEnv>().var;
  const { maxFiles, maxFileBytes, maxMessageBytes } = deps.config.attachments;
  const kinds = kindsForHint(deps);
  if (maxFiles === 0 || !kinds.length) return null;
  const each = formatSize(maxFileBytes);
  const total = maxMessageBytes < maxFiles * maxFileBytes ? `, ${formatSize(maxMessageBytes)} in all` : "";
  const hint = `Optional. Up to ${maxFiles} ${maxFiles === 1 ? "file" : "files"} of ${each} each${total}: ${allowedInWords(kinds)}.`;
  return (
    <Field name="files" label="Attach files" hint={hint} errors={errors} autofocus>
      {(a) => (
        <input
          {...a}
          type="file"
          multiple={maxFiles > 1}
          data-max-files={maxFiles}
          data-max-file={maxFileBytes}
          data-max-total={maxMessageBytes}
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
  if (!files.length) return null;
  return (
    <ul class="files" aria-label="Attached files">
      {files.map((f) => (
        <li>
          <a href={`/tickets/${ticketId}/files/${f.id}`} data-hx-boost="false">
            <bdi>{f.name}</bdi>
          </a>{" "}
          <span class="meta">
            ({typeName(f.type)}, {formatSize(f.size)})
          </span>
        </li>
      ))}
    </ul>
  );
}
