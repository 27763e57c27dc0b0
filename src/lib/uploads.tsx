import type { Context } from "hono";
import { Flash } from "../../views/components/flash.js";
import type { Config } from "../config.js";
import type { AppEnv } from "../env.js";
import { renderError } from "./errors.js";
import { fragment, isPartial } from "./htmx.js";

// The forms that take files may send more than BODY_LIMIT_KB: only these, only by POST, and only
// as multipart/form-data (the one encoding that carries files).
const FILE_FORMS = /^\/(?:tickets(?:\/[0-9]+\/(?:replies|notes))?|guest)\/?$/;

export const takesFiles = (c: Context) =>
  c.req.method === "POST" &&
  FILE_FORMS.test(c.req.path) &&
  (c.req.header("Content-Type") ?? "").toLowerCase().startsWith("multipart/form-data");

/**
 * The most a file form may send: the files one message may carry, the text fields, and the
 * multipart framing of each part. Within it, a file over a limit is answered by the form with the
 * text kept (422); beyond it the body is not read at all (413).
 */
export const filesBodyLimit = (config: Config) =>
  config.attachments.maxMessageBytes + config.bodyLimitBytes + (config.attachments.maxFiles + 8) * 1024;

/**
 * 413 for a form too large to read. A browser gets a page that says what the limits are and that
 * Back keeps the text; an in-place htmx request leaves the form (and the text in it) untouched and
 * says so in the message area.
 */
export function filesTooLarge(c: Context<AppEnv>) {
  const { maxFileBytes, maxMessageBytes } = c.var.deps.config.attachments;
  const { t, size } = c.var.i18n;
  const limits = t("files.limits", { each: size(maxFileBytes), total: size(maxMessageBytes) });
  if (isPartial(c)) {
    c.status(413);
    c.header("HX-Reswap", "none");
    return fragment(c, <Flash message={t("files.tooLargeFlash", { limits })} oob />);
  }
  return renderError(c, 413, t("files.tooLargeTitle"), t("files.tooLarge", { limits }));
}
