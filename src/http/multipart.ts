import { Readable } from "node:stream";
import busboy from "busboy";
import type { Context } from "hono";
import type { AppEnv } from "../env.js";
import { BodyTooLarge } from "./uploads.js";

// multipart/form-data read as a stream with limits (busboy): the parts are counted as they arrive
// and reading stops at the first one past what any form of ours sends, so a body of 300,000 tiny
// parts costs a few parts' work, not seconds of the event loop (undici's formData() parsed every
// part, for anyone, before the CSRF check could refuse it).

/** More text fields than any form of ours has (the triage form has 5, the guest form 9). */
export const MAX_FIELDS = 40;

export class TooManyParts extends Error {}
/** A body that says it is multipart and is not (no boundary, broken framing). */
export class UnreadableForm extends Error {}

export type Multipart = { fields: Record<string, string[]>; files: Record<string, File[]> };

const cache = new WeakMap<Request, Promise<Multipart>>();

/**
 * The form in a multipart body, read once per request (the CSRF check and the handler share it).
 * A file is kept up to one byte past ATTACHMENT_MAX_FILE_KB, so the checks can still say it is too
 * big without holding more; more parts than MAX_FIELDS fields and ATTACHMENT_MAX_FILES files (and
 * the empty part of an unused file input) rejects with TooManyParts.
 */
export function readMultipart(c: Context<AppEnv>): Promise<Multipart> {
  const raw = c.req.raw;
  let read = cache.get(raw);
  if (!read) {
    read = parse(c);
    cache.set(raw, read);
  }
  return read;
}

/**
 * A file name as the person chose it: browsers write `"`, CR and LF in a multipart file name as
 * %22, %0D and %0A (the HTML standard's form encoding), and only those.
 */
const browserName = (name: string) =>
  name.replace(/%(22|0D|0A)/gi, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));

function parse(c: Context<AppEnv>): Promise<Multipart> {
  const { attachments, bodyLimitBytes } = c.var.deps.config;
  const form: Multipart = { fields: {}, files: {} };
  const body = c.req.raw.body;
  if (!body) return Promise.resolve(form);
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: { "content-type": c.req.header("Content-Type") ?? "" },
        // Browsers send a file's name as UTF-8 bytes (busboy reads parameters as latin1 by default).
        defParamCharset: "utf8",
        limits: {
          fields: MAX_FIELDS,
          fieldSize: bodyLimitBytes,
          files: attachments.maxFiles + 1,
          fileSize: attachments.maxFileBytes + 1,
          parts: MAX_FIELDS + attachments.maxFiles + 1,
        },
      });
    } catch (error) {
      return reject(new UnreadableForm((error as Error).message));
    }
    const input = Readable.fromWeb(body as import("node:stream/web").ReadableStream<Uint8Array>);
    const stop = () => {
      input.unpipe(parser);
      input.destroy();
      reject(new TooManyParts());
    };
    const pending: Promise<void>[] = [];
    const add = <T>(to: Record<string, T[]>, name: string, value: T) => {
      const values = to[name] ?? [];
      values.push(value);
      to[name] = values;
    };
    parser.on("field", (name, value) => add(form.fields, name, value));
    parser.on("file", (name, stream, info) => {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      pending.push(
        new Promise((done) =>
          stream.on("close", () => {
            const file = new File([Buffer.concat(chunks)] as BlobPart[], browserName(info.filename ?? ""), {
              type: info.mimeType,
            });
            add(form.files, name, file);
            done();
          }),
        ),
      );
    });
    parser.on("partsLimit", stop);
    parser.on("filesLimit", stop);
    parser.on("fieldsLimit", stop);
    // A body past its limit (uploads.ts) is that, not a broken form.
    const unreadable = (error: Error) =>
      reject(error instanceof BodyTooLarge ? error : new UnreadableForm(error.message));
    parser.on("error", unreadable);
    input.on("error", unreadable);
    parser.on("close", () => Promise.all(pending).then(() => resolve(form), reject));
    input.pipe(parser);
  });
}
