import { Readable } from "node:stream";
import type { ReadableStream as NodeReadableStream } from "node:stream/web";
import { brotliCompressSync, constants, createBrotliCompress, createGzip, gzipSync } from "node:zlib";
import type { Context, MiddlewareHandler } from "hono";
import { HtmlEscapedCallbackPhase, resolveCallback } from "hono/utils/html";

// Compression of the finished page, in one synchronous call on the string the view rendered:
// every answer here is rendered whole before it is sent, so a compression stream (hono/compress:
// a web CompressionStream on the thread pool, measured 230 us a page) buys nothing over
// zlib on the bytes (measured 30-40 us). Brotli when the browser takes it (about a third smaller
// than gzip on our pages, which matters on 2G), gzip otherwise, both at a low level.

/** Smaller answers go as they are: the headers of a compressed one would eat the saving. */
export const COMPRESS_MIN_BYTES = 1024;
const encoder = new TextEncoder();
const COMPRESSIBLE = /^(?:text\/|application\/(?:json|javascript|xml))/i;

/** The encoding the request accepts that we prefer: br, gzip, or none (honouring q=0). */
export function chooseEncoding(accept: string | undefined): "br" | "gzip" | null {
  if (!accept) return null;
  const offered = new Map<string, number>();
  for (const part of accept.toLowerCase().split(",")) {
    const [name, ...params] = part.trim().split(";");
    const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
    offered.set(name!.trim(), q ? Number(q.slice(2)) || 0 : 1);
  }
  const wants = (name: string) => (offered.get(name) ?? offered.get("*") ?? 0) > 0;
  if (wants("br")) return "br";
  if (wants("gzip")) return "gzip";
  return null;
}

/**
 * The text of each page answer made by `c.html`, kept beside it: @hono/node-server writes a
 * Response made from a string straight to the socket, but reading its body back (`res.body`,
 * `arrayBuffer()`) first builds a whole web Response with a ReadableStream, and then the
 * compressed one cannot take the fast way either (measured: a sixth of the render ceiling's time).
 */
const texts = new WeakMap<Response, string>();

/** How compressed answers were read: from the rendered text (the fast path) or back from their body stream; or compressed as they stream. */
export const compressCounts = { fromText: 0, fromStream: 0, streamed: 0 };

/** Answers made to stream (an export of 200,000 rows): compressed as they go, never read whole. */
const streams = new WeakSet<Response>();
export function streamed(res: Response): Response {
  streams.add(res);
  return res;
}

/** `c.html` for this request, noting each answer's text (the same steps as Hono's own). */
function notingHtml(c: Context): Context["html"] {
  const html = c.html;
  const note = (rendered: string, arg?: unknown, headers?: unknown) => {
    // A rendered page is a String object (Hono marks it escaped): the plain string is what
    // @hono/node-server can write without building a web Response first.
    const text = String(rendered);
    const res = (html as (...a: unknown[]) => Response)(text, arg, headers);
    texts.set(res, text);
    return res;
  };
  return ((body: string | Promise<string>, arg?: unknown, headers?: unknown) =>
    typeof body === "object"
      ? resolveCallback(body, HtmlEscapedCallbackPhase.Stringify, false, {}).then((text) => note(text, arg, headers))
      : note(body, arg, headers)) as Context["html"];
}

export const compressFinished = (): MiddlewareHandler =>
  async function compressFinished(c, next) {
    c.html = notingHtml(c);
    await next();
    const res = c.res;
    // Whether or not this one is compressed, the answer depends on the header for every cache.
    res.headers.append("Vary", "Accept-Encoding");
    const text = texts.get(res);
    if (c.req.method === "HEAD" || res.headers.has("Content-Encoding")) return;
    if (!COMPRESSIBLE.test(res.headers.get("Content-Type") ?? "")) return;
    if (text === undefined && !res.body) return;
    if (/\bno-transform\b/i.test(res.headers.get("Cache-Control") ?? "")) return;
    const encoding = chooseEncoding(c.req.header("Accept-Encoding"));
    if (!encoding) return;
    if (text === undefined && streams.has(res) && res.body) {
      compressCounts.streamed++;
      const zip =
        encoding === "br"
          ? // A 256 KB window, not brotli's 4 MB: a long download holds little (measured: the export's
            // peak RSS +23 MB with the default window).
            createBrotliCompress({
              params: { [constants.BROTLI_PARAM_QUALITY]: 4, [constants.BROTLI_PARAM_LGWIN]: 18 },
            })
          : createGzip({ level: 4 });
      const body = Readable.toWeb(Readable.fromWeb(res.body as NodeReadableStream).pipe(zip));
      res.headers.delete("Content-Length");
      c.res = undefined as unknown as Response;
      c.res = new Response(body as ReadableStream, { status: res.status, headers: res.headers });
      c.res.headers.set("Content-Encoding", encoding);
      return;
    }
    const length = Number(res.headers.get("Content-Length") ?? Number.NaN);
    if (length < COMPRESS_MIN_BYTES) return;
    compressCounts[text === undefined ? "fromStream" : "fromText"]++;
    const bytes = text === undefined ? new Uint8Array(await res.arrayBuffer()) : encoder.encode(text);
    let body: Uint8Array = bytes;
    const compressed = bytes.length >= COMPRESS_MIN_BYTES;
    if (compressed)
      body =
        encoding === "br"
          ? brotliCompressSync(bytes, {
              params: { [constants.BROTLI_PARAM_QUALITY]: 4, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length },
            })
          : gzipSync(bytes, { level: 4 });
    // The new answer takes the old one's headers: the old length must go first.
    res.headers.delete("Content-Length");
    // Hono's setter would rebuild the new answer from its body as a stream to copy the old one's
    // headers onto it; these are those headers already, so the old answer is let go first.
    c.res = undefined as unknown as Response;
    c.res = new Response(body as Uint8Array<ArrayBuffer>, { status: res.status, headers: res.headers });
    if (compressed) c.res.headers.set("Content-Encoding", encoding);
    c.res.headers.set("Content-Length", String(body.length));
  };
