import type { Child } from "hono/jsx";
import { jsxRenderer, useRequestContext } from "hono/jsx-renderer";
import type { AppEnv } from "../../src/env.js";
import { lastList } from "../../src/http/last-list.js";
import { useI18n } from "../../src/i18n/view.js";
import { homeOf, isAdmin, isStaff } from "../../src/users/authorization.js";
import { Flash } from "../components/flash.js";
import { LanguageMenu } from "../components/language-menu.js";

// htmx on shared kiosks: no history snapshots kept in the browser (htmx 4 core keeps none), no
// inline style sheet (the CSP allows none; app.css styles the indicator). Attributes are written
// data-hx-name_modifier (htmx's own data- prefix, "_" for ":") so every page is valid HTML.
// A form that carries files has no time limit (static/app.js): on a slow link its upload takes as
// long as it takes, with its progress shown.
const htmxConfig = (timeoutMs: number) =>
  JSON.stringify({ includeIndicatorCSS: false, defaultTimeout: timeoutMs, prefix: "data-hx-", metaCharacter: "_" });

/** `refused`: a form sent back to be fixed; its title begins "Error:". */
export function Layout({
  title,
  refused,
  refresh,
  children,
}: {
  title: string;
  refused?: boolean;
  /** Go on to this address at once (a page that hands the browser to another site without JavaScript). */
  refresh?: string;
  children: Child;
}) {
  const c = useRequestContext<AppEnv>();
  const { t, lang, dir } = useI18n();
  const { assets } = c.var.deps;
  const guest = c.var.guest;
  const user = guest ? null : c.var.user;
  // A ticket belongs to the list it was opened from: the queue, or the person's own tickets.
  const path = user && /^\/tickets\/\d+/.test(c.req.path) ? lastList(c).split("?")[0]! : c.req.path;
  const current = (prefix: string) => (path === prefix || path.startsWith(`${prefix}/`) ? "page" : undefined);
  return (
    <html lang={lang} dir={dir}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        {refresh && <meta http-equiv="refresh" content={`0; url=${refresh}`} />}
        <title>{`${refused ? t("title.errorPrefix") : ""}${title} · Hyperdesk`}</title>
        <meta name="htmx-config" content={htmxConfig(c.var.deps.config.htmxTimeoutMs)} />
        <link rel="icon" href={assets.url("favicon.ico")} />
        <link rel="stylesheet" href={assets.url("app.css")} />
        <script src={assets.url("htmx-4.0.1.min.js")} nonce={c.var.secureHeadersNonce} defer></script>
        <script src={assets.url("app.js")} nonce={c.var.secureHeadersNonce} defer></script>
      </head>
      <body
        data-hx-boost_inherited="true"
        data-sending={t("form.sending")}
        data-uploading={t("form.uploading", { done: "{done}", total: "{total}", percent: "{percent}" })}
        data-send-failed={t("form.sendFailed")}
      >
        {/* Inside the body, so a boosted navigation (which swaps the body's content) renews the token. */}
        <div class="page" data-hx-headers_inherited={JSON.stringify({ "X-CSRF-Token": c.var.csrfToken })}>
          <a class="skip" href="#main">
            {t("nav.skip")}
          </a>
          <header class="top">
            <nav aria-label={t("nav.main")}>
              <a class="brand" href={guest ? `/tickets/${guest.ticketId}` : user ? homeOf(user) : "/"}>
                Hyperdesk
              </a>
              {guest ? (
                // A guest at a kiosk: their one ticket, and the way to finish; nothing of an account.
                <>
                  <a href={`/tickets/${guest.ticketId}`} aria-current={current(`/tickets/${guest.ticketId}`)}>
                    {t("nav.guestTicket", { id: guest.ticketId })}
                  </a>
                  <form method="post" action="/status/leave" class="inline">
                    <input type="hidden" name="_csrf" value={c.var.csrfToken} />
                    <button type="submit" class="link">
                      {t("nav.finish")}
                    </button>
                  </form>
                </>
              ) : user ? (
                <>
                  <a href="/tickets" aria-current={current("/tickets")}>
                    {t("nav.myTickets")}
                  </a>
                  {isStaff(user) && (
                    <>
                      {/* The queue opens on the person's start view: the work still to do unless they chose another. */}
                      <a href={homeOf(user)} aria-current={current("/queue")}>
                        {t("nav.queue")}
                      </a>
                      <a href="/dashboard" aria-current={current("/dashboard")}>
                        {t("nav.dashboard")}
                      </a>
                    </>
                  )}
                  {isAdmin(user) && (
                    <>
                      <a href="/admin/users" aria-current={current("/admin/users")}>
                        {t("nav.people")}
                      </a>
                      <a href="/admin/inbox" aria-current={current("/admin/inbox")}>
                        {t("nav.inbox")}
                      </a>
                      <a href="/admin/outbox" aria-current={current("/admin/outbox")}>
                        {t("nav.outbox")}
                      </a>
                      <a href="/admin/attachments" aria-current={current("/admin/attachments")}>
                        {t("nav.files")}
                      </a>
                      <a href="/admin/sla" aria-current={current("/admin/sla")}>
                        {t("nav.sla")}
                      </a>
                      <a href="/admin/tags" aria-current={current("/admin/tags")}>
                        {t("nav.tags")}
                      </a>
                      <a href="/admin/webhooks" aria-current={current("/admin/webhooks")}>
                        {t("nav.webhooks")}
                      </a>
                      <a href="/admin/statuses" aria-current={current("/admin/statuses")}>
                        {t("nav.statuses")}
                      </a>
                      <a href="/admin/sign-in" aria-current={current("/admin/sign-in")}>
                        {t("nav.signInSecurity")}
                      </a>
                      <a href="/admin/operations" aria-current={current("/admin/operations")}>
                        {t("nav.operations")}
                      </a>
                    </>
                  )}
                  <a href="/account" aria-current={current("/account")}>
                    {user.name}
                  </a>
                  <form method="post" action="/logout" class="inline">
                    <input type="hidden" name="_csrf" value={c.var.csrfToken} />
                    <button type="submit" class="link">
                      {t("nav.signOut")}
                    </button>
                  </form>
                </>
              ) : (
                <>
                  <a href="/login" aria-current={current("/login")}>
                    {t("nav.signIn")}
                  </a>
                  <a href="/register" aria-current={current("/register")}>
                    {t("nav.register")}
                  </a>
                </>
              )}
            </nav>
            <LanguageMenu />
          </header>
          <Flash message={c.var.flash} />
          <main id="main" tabindex={-1}>
            {children}
          </main>
        </div>
      </body>
    </html>
  );
}

declare module "hono" {
  interface ContextRenderer {
    // biome-ignore lint/style/useShorthandFunctionType: an interface merges with Hono's own; a type alias would not
    (
      content: string | Promise<string>,
      props: { title: string; refused?: boolean; refresh?: string },
    ): Response | Promise<Response>;
  }
}

/** `c.render(page, { title })` puts a page in the layout. */
export const renderer = jsxRenderer(
  ({ children, title, refused, refresh }) => (
    <Layout title={title} refused={refused} refresh={refresh}>
      {children}
    </Layout>
  ),
  {
    docType: true,
  },
);
