import { Hono } from "hono";
import { readContent } from "../../attachments/files.js";
import { contentDisposition } from "../../attachments/names.js";
import { INLINE_TYPES } from "../../attachments/types.js";
import type { AppEnv } from "../../env.js";
import { requireUser } from "../../http/auth/middleware.js";
import { parseId } from "../../http/ids.js";
import { ticketOfUrl } from "./ticket-page.js";

// GET /tickets/:id/files/:file: one attached file, to those who may see the message it belongs to.
export const files = new Hono<AppEnv>();
files.use(requireUser(), ticketOfUrl);

files.get("/:file{[0-9]+}", async (c) => {
  const { ticket } = c.var;
  // The ticket as this person may see it: a requester's holds no internal notes, so no note's
  // files either. Not theirs, missing, or a note's: the same 404.
  const id = parseId(c.req.param("file"));
  const file = [...ticket.attachments, ...ticket.replies.flatMap((r) => r.attachments)].find((f) => f.id === id);
  if (!file) return c.notFound();
  // Private: never in a shared cache; no-cache: the browser asks again (a 304 when unchanged) each
  // time, so this check runs for every viewing; no-transform: the bytes are served as stored. On a
  // kiosk, no-store: a shared machine's disk keeps no copy of someone's photo or document.
  c.header("Cache-Control", `private, ${c.var.deps.config.kiosk ? "no-store" : "no-cache"}, no-transform`);
  const etag = `"${file.contentHash}"`;
  c.header("ETag", etag);
  const match = c.req.header("If-None-Match");
  if (match?.split(/\s*,\s*/).some((tag) => tag.replace(/^W\//, "") === etag)) return c.body(null, 304);
  const bytes = await readContent(c.var.deps, file.contentHash);
  if (!bytes) return c.notFound();
  const inline = INLINE_TYPES.has(file.type);
  c.header("Content-Type", file.type === "text/plain" ? "text/plain; charset=utf-8" : file.type);
  c.header("Content-Disposition", contentDisposition(inline ? "inline" : "attachment", file.name));
  c.header("X-Content-Type-Options", "nosniff");
  // Opened on its own, a file can run nothing and load nothing, whatever a browser makes of it.
  // style-src for the browser's own image viewer (centring, background); nothing can load or run.
  c.header("Content-Security-Policy", "sandbox; default-src 'none'; style-src 'unsafe-inline'");
  c.header("Cross-Origin-Resource-Policy", "same-origin");
  return c.body(bytes as Uint8Array<ArrayBuffer>);
});
