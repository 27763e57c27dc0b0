import type { Context } from "hono";
import type { Deps } from "../env.js";
import type { TokenUser } from "./tokens.js";

// What every part of the JSON API shares: its context (the token's caller) and its answers to
// what went wrong, RFC 9457 problem details.

export type ApiEnv = { Variables: { deps: Deps; caller: TokenUser; requestId: string } };

export const PROBLEM = "application/problem+json";

/** A problem details answer (RFC 9457): type, title, status, detail, and per-field errors. */
export function problem(
  c: Context,
  status: 400 | 401 | 403 | 404 | 409 | 412 | 413 | 415 | 422 | 429,
  title: string,
  detail?: string,
  errors?: { field: string; message: string }[],
) {
  const body = { type: "about:blank", title, status, ...(detail ? { detail } : {}), ...(errors ? { errors } : {}) };
  if (status === 401) c.header("WWW-Authenticate", 'Bearer realm="hyperdesk"');
  return c.body(JSON.stringify(body), status, { "Content-Type": PROBLEM });
}
