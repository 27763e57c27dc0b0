import { Hono } from "hono";
import type { AppEnv, Ctx } from "../env.js";
import type { Asset } from "../http/assets.js";

// GET /static/* (the vendored htmx, the stylesheet, the icon) and /favicon.ico.
export const assetsRoute = new Hono<AppEnv>();

function send(c: Ctx, asset: Asset | undefined, cacheControl: string) {
  if (!asset) return c.text("Not found", 404);
  c.header("Cache-Control", cacheControl);
  c.header("Content-Type", asset.type);
  c.header("ETag", asset.etag);
  c.header("Vary", "Accept-Encoding");
  if (c.req.header("If-None-Match") === asset.etag) return c.body(null, 304);
  if (/\bgzip\b/.test(c.req.header("Accept-Encoding") ?? "")) {
    c.header("Content-Encoding", "gzip");
    return c.body(new Uint8Array(asset.gzip));
  }
  return c.body(new Uint8Array(asset.body));
}

// Names carry the content hash, so a file never changes under its name: cache it for a year.
assetsRoute.get("/static/*", (c) =>
  send(c, c.var.deps.assets.byPath.get(c.req.path), "public, max-age=31536000, immutable"),
);

// Browsers that ignore the page's icon link still ask here: answer, rather than a 404 page each time.
assetsRoute.get("/favicon.ico", (c) => {
  const { assets } = c.var.deps;
  return send(c, assets.byPath.get(assets.url("favicon.ico")), "public, max-age=86400");
});
