import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../env.js";

// Every Location header goes out absolute (RFC 9110 allows relative ones, but Lynx waits several
// seconds on each, saying "Location URL is not absolute"): from PUBLIC_URL when it is set, which
// is also right behind a TLS proxy, else from the address the request came to.

export const absoluteLocation: MiddlewareHandler<AppEnv> = async (c, next) => {
  await next();
  const location = c.res.headers.get("Location");
  if (!location?.startsWith("/") || location.startsWith("//")) return;
  const base = c.var.deps.config.publicUrl ?? new URL(c.req.url).origin;
  c.res.headers.set("Location", `${base}${location}`);
};
