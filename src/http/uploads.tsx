import type { Context, MiddlewareHandler } from "hono";
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

/** A body that grew past its limit while it was being read (it had no Content-Length to refuse it by). */
export class BodyTooLarge extends Error {}

/** The answer to a body over its limit: the file forms' page, or a line saying the limit. */
export function bodyTooLarge(c: Context<AppEnv>) {
  if (takesFiles(c)) return filesTooLarge(c);
  const kb = c.var.deps.config.bodyLimitBytes / 1024;
  return c.text(c.var.i18n.t("error.formTooLarge", { kb }), 413);
}

/**
 * The body limit, without reading the body: a Content-Length over it is refused at once; a body
 * without one (chunked) is counted as whoever needs it reads it, and fails with BodyTooLarge past
 * the limit (app.onError answers 413). Hono's bodyLimit read such a body whole into memory before
 * anything could look at the request. GET and HEAD carry none, and are not touched.
 */
export const limitBody: MiddlewareHandler<AppEnv> = async (c, next) => {
  const method = c.req.method;
  if (method === "GET" || method === "HEAD") return next();
  const { config } = c.var.deps;
  const max = takesFiles(c) ? filesBodyLimit(config) : config.bodyLimitBytes;
  const length = c.req.header("Content-Length");
  if (length !== undefined && !c.req.header("Transfer-Encoding"))
    return Number(length) > max ? bodyTooLarge(c) : next();
  const body = c.req.raw.body;
  if (!body) return next();
  let size = 0;
  const counted = body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        size += chunk.byteLength;
        if (size > max) controller.error(new BodyTooLarge());
        else controller.enqueue(chunk);
      },
    }),
  );
  c.req.raw = new Request(c.req.raw, { body: counted, duplex: "half" } as RequestInit);
  return next();
};
