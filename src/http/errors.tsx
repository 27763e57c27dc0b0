import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { ErrorPage } from "../../views/errors/error.js";
import type { AppEnv } from "../env.js";
import { fragment, isPartial, respond } from "./htmx.js";

/** A plain error page (or, for an in-place htmx request, the message alone) with the right status. */
export function renderError(c: Context<AppEnv>, status: ContentfulStatusCode, title: string, message: string) {
  c.status(status);
  const body = <ErrorPage title={title} message={message} requestId={status >= 500 ? c.var.requestId : undefined} />;
  if (isPartial(c)) return fragment(c, body);
  return c.render(body, { title });
}

export const notFound = (c: Context<AppEnv>) =>
  renderError(c, 404, c.var.i18n.t("error.notFoundTitle"), c.var.i18n.t("error.notFound"));

/** 429 with when to try again, in words and in Retry-After. */
export function tooManyAttempts(c: Context<AppEnv>, retryAt: Date) {
  const waitMs = retryAt.getTime() - c.var.deps.clock.now().getTime();
  const minutes = Math.max(1, Math.ceil(waitMs / 60_000));
  c.header("Retry-After", String(Math.max(1, Math.ceil(waitMs / 1000))));
  c.status(429);
  const { t } = c.var.i18n;
  const title = t("error.waitTitle");
  return respond(c, <ErrorPage title={title} message={t("error.wait", { minutes })} />, title);
}

/**
 * An error as it may be logged. Prisma's messages quote the call that failed, arguments and all
 * (a ticket's text, an email address): for those only the error's class, code and the names of
 * the fields involved are kept, and the stack without its message lines.
 */
export function errorForLog(error: Error): { error: string; fields?: unknown; stack?: string } {
  if (!error.constructor.name.startsWith("PrismaClient")) return { error: error.message, stack: error.stack };
  const { code, meta } = error as Error & { code?: string; meta?: Record<string, unknown> };
  const fields = meta && (meta.target ?? meta.field_name ?? meta.modelName);
  const frames = (error.stack ?? "").split("\n").filter((line) => /^\s+at /.test(line));
  return { error: [error.constructor.name, code].filter(Boolean).join(" "), fields, stack: frames.join("\n") };
}
