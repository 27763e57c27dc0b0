import { Hono } from "hono";
import { MailSetupPage } from "../../../views/admin/mail.js";
import type { OutboxMessageModel as OutboxMessage } from "../../db/prisma.js";
import type { AppEnv, Ctx } from "../../env.js";
import { requireUser, userOf } from "../../http/auth/middleware.js";
import { formValues } from "../../http/forms.js";
import { done, fragment, isPartial } from "../../http/htmx.js";
import { newMessageId } from "../../mail/addresses.js";
import { mailLanguage, testMessage } from "../../mail/messages.js";
import { describeFailure, smtpSender, smtpSummary } from "../../mail/transport.js";
import { setSurveyOn, surveyOn } from "../../survey/survey.js";
import { can } from "../../users/authorization.js";

// GET /admin/mail: what the desk sends and receives mail with (never a password); POST
// /admin/mail/test: a message to the admin at once, straight to the SMTP server (not through the
// outbox), with the server's answer on the page, or its refusal.
export const mailSetup = new Hono<AppEnv>();
mailSetup.use(requireUser(can.manageUsers));

/** What the page shows. */
const viewOf = async (c: Ctx, result?: { ok: boolean; answer: string }) => {
  const { config } = c.var.deps;
  const imap = config.mail.imap;
  const view = {
    smtp: smtpSummary(config),
    from: config.mail.from,
    publicUrl: config.publicUrl,
    worker: config.mail.worker,
    imap: imap && { ...imapSummary(imap.url), folder: imap.folder, done: imap.doneFolder, failed: imap.failedFolder },
    trusted: config.mail.trustedAuthservId,
    to: userOf(c).email,
    result,
    survey: await surveyOn(c.var.deps),
  };
  return view;
};

const page = async (c: Ctx, result?: { ok: boolean; answer: string }) => {
  const view = await viewOf(c, result);
  // With htmx the section is replaced in place; without, the whole page comes back.
  if (isPartial(c)) return fragment(c, <MailSetupPage {...view} />);
  return c.render(<MailSetupPage {...view} />, { title: c.var.i18n.t("mailSetup.title") });
};

/** The IMAP server and user of IMAP_URL, without its password. */
const imapSummary = (value: string) => {
  const url = new URL(value);
  return { host: url.hostname, user: url.username ? decodeURIComponent(url.username) : null };
};

mailSetup.get("/", (c) => page(c));

/** POST /admin/mail/survey (on | off): whether closing emails ask "How did we do?". */
mailSetup.post("/survey", async (c) => {
  const value = (await formValues(c)).survey;
  if (value !== "on" && value !== "off") {
    c.status(422);
    return page(c);
  }
  await setSurveyOn(c.var.deps, value === "on");
  const { t } = c.var.i18n;
  return done(c, t(value === "on" ? "survey.turnedOn" : "survey.turnedOff"), "/admin/mail#survey-setting", async () => (
    <MailSetupPage {...(await viewOf(c))} />
  ));
});

mailSetup.post("/test", async (c) => {
  const { config } = c.var.deps;
  const send = smtpSender(config);
  const me = userOf(c);
  if (!send) {
    c.status(409);
    return page(c, { ok: false, answer: c.var.i18n.t("mailSetup.noSmtp") });
  }
  const composed = testMessage(config, mailLanguage(config, me), me.name);
  const row = {
    ...composed,
    toAddress: me.email,
    messageId: newMessageId(config),
    headers: "{}",
  } as unknown as OutboxMessage;
  try {
    const answer = String((await send(row)) ?? "") || c.var.i18n.t("mailSetup.noAnswer");
    return page(c, { ok: true, answer });
  } catch (error) {
    // The server's refusal, or what failed on the way (a refused connection, a wrong password).
    c.status(502);
    return page(c, { ok: false, answer: describeFailure(error).message });
  }
});
