import { Hono } from "hono";
import type { AppEnv } from "../env.js";

export const assetsRoute = new Hono<AppEnv>();

// Names carry the content hash, so a file never changes under its name: cache it for a year.
assetsRoute.get("/static/*", (c) => {
  const asset = c.var.deps.assets.byPath.get(c.req.path);
  if (!asset) return c.text("Not found", 404);
  c.header("Cache-Control", "public, max-age=31536000, immutable");
  c.header("Content-Type", asset.type);
  c.header("ETag", asset.etag);
  c.header("Vary", "Accept-Encoding");
  if (c.req.header("If-None-Match") === asset.etag) return c.body(null, 304);
  if (/\bgzip\b/.test(c.req.header("Accept-Encoding") ?? "")) {
    c.header("Content-Encoding", "gzip");
    return c.body(new Uint8Array(asset.gzip));
  }
  return c.body(new Uint8Array(asset.body));
});
