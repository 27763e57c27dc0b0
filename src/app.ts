import { Hono } from "hono";
import { requestId } from "hono/request-id";
import { NONCE, secureHeaders } from "hono/secure-headers";
import { renderer } from "../views/layouts/main.js";
import { apiV1 } from "./api/v1.js";
import type { AppEnv, Deps } from "./env.js";
import { guestAccess } from "./http/auth/guest.js";
import { checkCsrf, loadSession, refuseManyParts, requireTwoFactorSetUp } from "./http/auth/middleware.js";
import { compressFinished } from "./http/compress.js";
import { errorForLog, notFound, renderError } from "./http/errors.js";
import { countRequests, metrics } from "./http/metrics.js";
import { TooManyParts, UnreadableForm } from "./http/multipart.js";
import { absoluteLocation } from "./http/redirects.js";
import { BodyTooLarge, bodyTooLarge, limitBody } from "./http/uploads.js";
import { detectLanguage } from "./i18n/middleware.js";
import { account } from "./routes/account/index.js";
import { mail } from "./routes/account/mail.js";
import { passkeys } from "./routes/account/passkeys.js";
import { password } from "./routes/account/password.js";
import { sessions } from "./routes/account/sessions.js";
import { tokens } from "./routes/account/tokens.js";
import { twoFactor } from "./routes/account/two-factor.js";
import { attachments } from "./routes/admin/attachments.js";
import { inbox } from "./routes/admin/inbox.js";
import { mailSetup } from "./routes/admin/mail-setup.js";
import { adminOperations } from "./routes/admin/operations.js";
import { outbox } from "./routes/admin/outbox.js";
import { adminSignIn } from "./routes/admin/sign-in.js";
import { sla } from "./routes/admin/sla.js";
import { adminStatuses } from "./routes/admin/statuses.js";
import { adminTags } from "./routes/admin/tags.js";
import { disable } from "./routes/admin/users/disable.js";
import { enable } from "./routes/admin/users/enable.js";
import { erase } from "./routes/admin/users/erase.js";
import { users } from "./routes/admin/users/index.js";
import { role } from "./routes/admin/users/role.js";
import { personSessions } from "./routes/admin/users/sessions.js";
import { personTwoFactor } from "./routes/admin/users/two-factor.js";
import { adminWebhooks } from "./routes/admin/webhooks.js";
import { apiReference } from "./routes/api-reference.js";
import { canned } from "./routes/canned.js";
import { claim } from "./routes/claim.js";
import { dashboard } from "./routes/dashboard.js";
import { guest } from "./routes/guest.js";
import { health } from "./routes/health.js";
import { home } from "./routes/home.js";
import { language } from "./routes/language.js";
import { login } from "./routes/login.js";
import { loginLink } from "./routes/login-link.js";
import { loginPasskey, secondStepPasskey } from "./routes/login-passkey.js";
import { loginTwoFactor } from "./routes/login-two-factor.js";
import { logout } from "./routes/logout.js";
import { passwordReset } from "./routes/password/reset.js";
import { queue } from "./routes/queue.js";
import { register } from "./routes/register.js";
import { setup } from "./routes/setup.js";
import { sso } from "./routes/sso.js";
import { assetsRoute } from "./routes/static.js";
import { status as statusRoute } from "./routes/status.js";
import { survey } from "./routes/survey.js";
import { assignee } from "./routes/tickets/assignee.js";
import { cannedInsert } from "./routes/tickets/canned.js";
import { closure } from "./routes/tickets/closure.js";
import { files } from "./routes/tickets/files.js";
import { tickets } from "./routes/tickets/index.js";
import { related } from "./routes/tickets/related.js";
import { replies } from "./routes/tickets/replies.js";
import { tags } from "./routes/tickets/tags.js";
import { triageRoute } from "./routes/tickets/triage.js";
import { updates } from "./routes/tickets/updates.js";
import { statusesOf } from "./tickets/statuses.js";
import { PasswordWorkBusy } from "./users/bcrypt-pool.js";

/** The whole app, built from its dependencies: the server and every test build it the same way. */
export function createApp(deps: Deps) {
  const app = new Hono<AppEnv>();

  app.use(async (c, next) => {
    c.set("deps", deps);
    await next();
  });
  app.use(countRequests);
  app.use(requestId({ limitLength: 64 }));
  app.use(absoluteLocation);
  app.use(async (c, next) => {
    const started = performance.now();
    await next();
    // The path only: query strings can carry tokens (the setup link does).
    if (deps.config.logRequests) {
      deps.log({
        id: c.var.requestId,
        method: c.req.method,
        path: c.req.path,
        status: c.res.status,
        ms: Math.round(performance.now() - started),
      });
    }
  });
  app.use(
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'", NONCE],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", "data:"],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        frameAncestors: ["'none'"],
        formAction: ["'self'"],
      },
      // same-origin still sends Origin and Referer on our own posts, nothing to other sites.
      referrerPolicy: "same-origin",
      // A route's own header wins: an attached file sets a stricter policy of its own.
      overwrite: false,
      strictTransportSecurity: deps.config.secure ? "max-age=63072000; includeSubDomains" : false,
      xFrameOptions: "DENY",
    }),
  );
  app.use(async (c, next) => {
    await next();
    // What a page says depends on these too: a shared cache must not give one person's language
    // (Accept-Language, the menu's cookie) to another.
    c.res.headers.append("Vary", "HX-Request, Accept-Language, Cookie");
    // Shutting down: this answer is the connection's last, so keep-alive clients move elsewhere.
    if (deps.state.draining) c.res.headers.set("Connection", "close");
  });
  app.route("/", assetsRoute);
  app.route("/", health);
  app.get("/metrics", metrics);
  // The JSON API: its own tokens, errors and 404s; no session, no CSRF, no pages (api/v1.ts).
  const api = apiV1(deps);
  app.route("/api/v1", api.app);
  app.use(detectLanguage);
  app.use(compressFinished());
  app.use(renderer);
  app.use(loadSession);
  app.use(async (c, next) => {
    c.set("statuses", await statusesOf(deps));
    await next();
  });
  // Bodies are small (BODY_LIMIT_KB) except on the few forms that take files, where they may carry
  // what ATTACHMENT_MAX_MESSAGE_KB allows; anything larger is refused (after the session is known,
  // so that answer is a page with the person's menu) by its Content-Length, or as it is read.
  // Before the guest's view, which may read a form to keep what an ended guest typed.
  app.use(limitBody);
  app.use(guestAccess);
  app.use(checkCsrf);
  app.use(requireTwoFactorSetUp);

  // One sub-app per resource, mounted at its URL: a URL names its file under src/routes/.
  const ticket = "/tickets/:id{[0-9]+}";
  const person = "/admin/users/:id{[0-9]+}";
  app.route("/", home);
  app.route("/login", login);
  app.route("/login/link", loginLink);
  app.route("/login/two-factor/passkey", secondStepPasskey);
  app.route("/login/two-factor", loginTwoFactor);
  app.route("/login/passkey", loginPasskey);
  app.route("/login/sso", sso);
  app.route("/password", passwordReset);
  app.route("/register", register);
  app.route("/guest", guest);
  app.route("/status", statusRoute);
  app.route("/claim", claim);
  app.route("/survey", survey);
  app.get("/api", (c) => apiReference(c, api.document()));
  app.route("/logout", logout);
  app.route("/language", language);
  app.route("/setup", setup);
  app.route("/account", account);
  app.route("/account/password", password);
  app.route("/account/mail", mail);
  app.route("/account/sessions", sessions);
  app.route("/account/two-factor/passkeys", passkeys);
  app.route("/account/two-factor", twoFactor);
  app.route("/account/tokens", tokens);
  app.route("/tickets", tickets);
  app.route(`${ticket}/replies`, replies);
  app.route(ticket, closure);
  app.route(ticket, related);
  app.route(`${ticket}/assignee`, assignee);
  app.route(`${ticket}/triage`, triageRoute);
  app.route(`${ticket}/files`, files);
  app.route(`${ticket}/canned`, cannedInsert);
  app.route(`${ticket}/tags`, tags);
  app.route(`${ticket}/updates`, updates);
  app.route("/queue", queue);
  app.route("/dashboard", dashboard);
  app.route("/canned", canned);
  app.route("/admin/users", users);
  app.route(`${person}/role`, role);
  app.route(`${person}/disable`, disable);
  app.route(`${person}/enable`, enable);
  app.route(`${person}/sessions`, personSessions);
  app.route(`${person}/two-factor`, personTwoFactor);
  app.route(`${person}/erase`, erase);
  app.route("/admin/outbox", outbox);
  app.route("/admin/mail", mailSetup);
  app.route("/admin/inbox", inbox);
  app.route("/admin/attachments", attachments);
  app.route("/admin/sla", sla);
  app.route("/admin/tags", adminTags);
  app.route("/admin/webhooks", adminWebhooks);
  app.route("/admin/statuses", adminStatuses);
  app.route("/admin/sign-in", adminSignIn);
  app.route("/admin/operations", adminOperations);

  app.notFound((c) => notFound(c));
  app.onError((error, c) => {
    // A form the handler read past the CSRF check (htmx's header token needs no body).
    if (error instanceof TooManyParts) return refuseManyParts(c);
    if (error instanceof BodyTooLarge) return bodyTooLarge(c);
    if (error instanceof UnreadableForm)
      return renderError(c, 400, c.var.i18n.t("error.unreadableTitle"), c.var.i18n.t("error.unreadable"));
    if (error instanceof PasswordWorkBusy) {
      c.header("Retry-After", "5");
      return renderError(c, 503, c.var.i18n.t("error.busyTitle"), c.var.i18n.t("error.busy"));
    }
    deps.log({
      level: "error",
      id: c.var.requestId,
      method: c.req.method,
      path: c.req.path,
      ...errorForLog(error),
    });
    return renderError(c, 500, c.var.i18n.t("error.failedTitle"), c.var.i18n.t("error.failed"));
  });
  return app;
}

export type App = ReturnType<typeof createApp>;
