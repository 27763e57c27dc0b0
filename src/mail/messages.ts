import { html } from "hono/html";
import type { Config } from "../config.js";
import { isLanguage } from "../i18n/languages.js";
import { type I18n, i18nFor } from "../i18n/translate.js";
import { priorityLabel, roleLabel } from "../i18n/words.js";

// The words of each email, as plain text and a small HTML part with no remote images.

/** A ticket as its mail names it; `url` where the link leads elsewhere than its page (a claim). */
export type Ticketish = { id: number; subject: string; priority: string; url?: string };
export type Composed = { subject: string; text: string; html: string };

export const publicBase = (config: Config) => config.publicUrl ?? `http://localhost:${config.port}`;
export const ticketUrl = (config: Config, id: number) => `${publicBase(config)}/tickets/${id}`;

/** `[#123] Subject`, and `Re: ` before it on every message after the first of a ticket. */
export const mailSubject = (ticket: Ticketish, first: boolean) =>
  `${first ? "" : "Re: "}[#${ticket.id}] ${ticket.subject.replace(/[\r\n]+/g, " ")}`;

type Part = {
  lead: string;
  quote?: string;
  /** A line after the quote: what else came with it (the status a reply set). */
  afterQuote?: string;
  /** A question with one-click answers after it ("How did we do?": Good, Not good). */
  ask?: { question: string; answers: [string, string][] };
  facts?: [string, string][];
  action: string;
  url: string;
  after?: string;
};

/**
 * One message from its parts, in the recipient's language (`i18n`): who did what, the text they
 * wrote, the link, why this email came.
 */
function compose(config: Config, i18n: I18n, subject: string, part: Part): Composed {
  const { t } = i18n;
  const settings = `${publicBase(config)}/account#mail`;
  const facts = (part.facts ?? []).map(([k, v]) => `${k}: ${v}`).join("\n");
  const quote = part.quote?.trim();
  const why = part.after ?? t("mail.why", { desk: config.mail.from.name });
  const choose = t("mail.choose");
  const text = [
    part.lead,
    facts,
    quote,
    part.afterQuote,
    part.ask && [part.ask.question, ...part.ask.answers.map(([label, url]) => `${label}: ${url}`)].join("\n"),
    `${part.action}: ${part.url}`,
    `-- \n${why}${part.after ? "" : ` ${choose}: ${settings}`}`,
  ]
    .filter(Boolean)
    .join("\n\n");
  const body = html`<!doctype html>
<html lang="${i18n.lang}" dir="${i18n.dir}"><head><meta charset="utf-8"><title>${subject}</title></head>
<body style="font-family:sans-serif;line-height:1.5;max-width:40em">
<p>${part.lead}</p>
${facts ? html`<p>${(part.facts ?? []).map(([k, v]) => html`${k}: <strong>${v}</strong><br>`)}</p>` : ""}
${quote ? html`<blockquote dir="auto" style="white-space:pre-wrap;border-inline-start:3px solid #999;margin:0;padding-inline-start:1em">${quote}</blockquote>` : ""}
${part.afterQuote ? html`<p>${part.afterQuote}</p>` : ""}
${part.ask ? html`<p>${part.ask.question}<br>${part.ask.answers.map(([label, url], i) => html`${i ? " · " : ""}<a href="${url}">${label}</a>`)}</p>` : ""}
<p><a href="${part.url}">${part.action}</a></p>
<p style="color:#555;font-size:0.9em">${why}${part.after ? "" : html` <a href="${settings}">${choose}</a>.`}</p>
</body></html>`;
  return { subject, text: `${text}\n`, html: String(body) };
}

/** A message about a ticket: its subject, and the link to it. */
const aboutTicket = (config: Config, i18n: I18n, t: Ticketish, first: boolean, part: Omit<Part, "url">) =>
  compose(config, i18n, mailSubject(t, first), { ...part, url: t.url ?? ticketUrl(config, t.id) });

/** Subject and priority (and who asked) as facts, in the recipient's words. */
const factsOf = ({ t }: I18n, ticket: Ticketish, requester?: string): [string, string][] => [
  [t("list.subject"), ticket.subject],
  [t("ticket.priority"), priorityLabel(t, ticket.priority)],
  ...(requester ? [[t("ticket.requester"), requester] as [string, string]] : []),
];

/** The link of a sign-in or reset email; it works once, for `minutes`. */
export const linkMessages = {
  signin: (config: Config, i18n: I18n, name: string, url: string, minutes: number) => {
    const desk = config.mail.from.name;
    return compose(config, i18n, i18n.t("mail.signinSubject", { desk }), {
      lead: i18n.t("mail.signinLead", { name, desk, minutes }),
      action: i18n.t("mail.signinAction"),
      url,
      after: i18n.t("mail.signinAfter"),
    });
  },
  /** An admin added this person: a link to choose a password, for `days`. */
  invite: (config: Config, i18n: I18n, name: string, url: string, days: number, by: { by: string; role: string }) =>
    compose(config, i18n, i18n.t("mail.inviteSubject", { desk: config.mail.from.name }), {
      lead: i18n.t("mail.inviteLead", {
        name,
        by: by.by,
        desk: config.mail.from.name,
        role: roleLabel(i18n.t, by.role),
        days,
      }),
      action: i18n.t("mail.inviteAction"),
      url,
      after: i18n.t("mail.inviteAfter"),
    }),
  reset: (config: Config, i18n: I18n, name: string, url: string, minutes: number) =>
    compose(config, i18n, i18n.t("mail.resetSubject", { desk: config.mail.from.name }), {
      lead: i18n.t("mail.resetLead", { name, minutes }),
      action: i18n.t("mail.resetAction"),
      url,
      after: i18n.t("mail.resetAfter"),
    }),
  /** An admin turned this person's two-factor sign-in off: a link to set it up again. */
  twoFactorReset: (config: Config, i18n: I18n, name: string, url: string) =>
    compose(config, i18n, i18n.t("mail.twoFactorResetSubject", { desk: config.mail.from.name }), {
      lead: i18n.t("mail.twoFactorResetLead", { name, desk: config.mail.from.name }),
      action: i18n.t("mail.twoFactorResetAction"),
      url,
      after: i18n.t("mail.twoFactorResetAfter"),
    }),
};

/** To each admin: a webhook endpoint failed for a day and was turned off; the link is its page. */
export const webhookOffMessage = (config: Config, i18n: I18n, name: string, endpoint: string, url: string) =>
  compose(config, i18n, i18n.t("mail.webhookOffSubject", { desk: config.mail.from.name }), {
    lead: i18n.t("mail.webhookOffLead", { name, url: endpoint }),
    action: i18n.t("mail.webhookOffAction"),
    url,
    after: i18n.t("mail.webhookOffAfter", { desk: config.mail.from.name }),
  });

/** The mail set-up page's test message, to the admin who asked for it. */
export const testMessage = (config: Config, i18n: I18n, name: string) =>
  compose(config, i18n, i18n.t("mail.testSubject", { desk: config.mail.from.name }), {
    lead: i18n.t("mail.testLead", { desk: config.mail.from.name, name }),
    action: i18n.t("mail.testAction"),
    url: `${publicBase(config)}/admin/mail`,
    after: i18n.t("mail.testAfter"),
  });

/** The two one-click answers of "How did we do?" (survey/survey.ts). */
export type SurveyLinks = { good: string; bad: string };
const askOf = (i18n: I18n, links: SurveyLinks) => ({
  question: i18n.t("survey.question"),
  answers: [
    [i18n.t("survey.good"), links.good],
    [i18n.t("survey.bad"), links.bad],
  ] as [string, string][],
});

export const messages = {
  /**
   * The receipt to an address claimed for a ticket (guests/claims.ts): the desk's words alone, not
   * one written by whoever gave the address; its link asks "was it you?".
   */
  claim: (config: Config, i18n: I18n, t: Ticketish) =>
    aboutTicket(config, i18n, t, true, {
      lead: i18n.t("mail.claimLead", { id: t.id, desk: config.mail.from.name }),
      action: i18n.t("mail.claimAction"),
      after: i18n.t("mail.claimAfter", { desk: config.mail.from.name }),
    }),
  /** The receipt to an account whose address has not shown it is there: the desk's words alone. */
  unconfirmedReceipt: (config: Config, i18n: I18n, t: Ticketish) =>
    aboutTicket(config, i18n, t, true, {
      lead: i18n.t("mail.unconfirmedLead", { id: t.id, desk: config.mail.from.name }),
      action: i18n.t("mail.receiptAction"),
      after: i18n.t("mail.unconfirmedAfter", { desk: config.mail.from.name }),
    }),
  receipt: (config: Config, i18n: I18n, t: Ticketish & { description: string }, name: string) =>
    aboutTicket(config, i18n, t, true, {
      lead: i18n.t("mail.receiptLead", { name, id: t.id }),
      facts: factsOf(i18n, t),
      quote: t.description,
      action: i18n.t("mail.receiptAction"),
    }),
  reply: (
    config: Config,
    i18n: I18n,
    t: Ticketish,
    author: string,
    body: string,
    then?: "Waiting" | "Closed",
    survey?: SurveyLinks,
  ) =>
    aboutTicket(config, i18n, t, false, {
      ask: survey && askOf(i18n, survey),
      lead: i18n.t("mail.replyLead", { author, id: t.id }),
      quote: body,
      afterQuote:
        then === "Waiting"
          ? i18n.t("mail.replyThenWaiting")
          : then === "Closed"
            ? i18n.t("mail.replyThenClosed")
            : undefined,
      action: i18n.t("mail.replyAction"),
    }),
  waiting: (config: Config, i18n: I18n, t: Ticketish, actor: string) =>
    aboutTicket(config, i18n, t, false, {
      lead: i18n.t("mail.waitingLead", { actor, id: t.id }),
      action: i18n.t("mail.waitingAction"),
    }),
  closed: (config: Config, i18n: I18n, t: Ticketish, actor: string, survey?: SurveyLinks) =>
    aboutTicket(config, i18n, t, false, {
      ask: survey && askOf(i18n, survey),
      lead: i18n.t("mail.closedLead", { actor, id: t.id }),
      action: i18n.t("mail.closedAction"),
    }),
  /**
   * A requester's ticket merged into another (tickets/merge.ts): into one of their own, the
   * conversation goes on there; into someone else's, only that it was joined (nothing of theirs).
   */
  merged: (config: Config, i18n: I18n, t: Ticketish, actor: string, into: number, theirs: boolean) =>
    theirs
      ? compose(config, i18n, mailSubject(t, false), {
          lead: i18n.t("mail.mergedLead", { actor, id: t.id, into }),
          action: i18n.t("mail.mergedAction", { into }),
          url: ticketUrl(config, into),
        })
      : aboutTicket(config, i18n, t, false, {
          lead: i18n.t("mail.mergedOtherLead", { actor, id: t.id }),
          action: i18n.t("mail.closedAction"),
        }),
  /** Another person's request about the same matter joined into this requester's ticket. */
  mergedIn: (config: Config, i18n: I18n, t: Ticketish, actor: string) =>
    aboutTicket(config, i18n, t, false, {
      lead: i18n.t("mail.mergedInLead", { actor, id: t.id }),
      action: i18n.t("mail.closedAction"),
    }),
  assigned: (config: Config, i18n: I18n, t: Ticketish & { description: string }, actor: string, requester: string) =>
    aboutTicket(config, i18n, t, false, {
      lead: i18n.t("mail.assignedLead", { actor, id: t.id }),
      facts: factsOf(i18n, t, requester),
      quote: t.description,
      action: i18n.t("mail.openAction"),
    }),
  requester_reply: (config: Config, i18n: I18n, t: Ticketish, requester: string, body: string) =>
    aboutTicket(config, i18n, t, false, {
      lead: i18n.t("mail.requesterReplyLead", { requester, id: t.id }),
      quote: body,
      action: i18n.t("mail.openAction"),
    }),
  new_ticket: (config: Config, i18n: I18n, t: Ticketish & { description: string }, requester: string) =>
    aboutTicket(config, i18n, t, false, {
      lead: i18n.t("mail.newTicketLead", { requester, id: t.id }),
      facts: factsOf(i18n, t),
      quote: t.description,
      action: i18n.t("mail.openAction"),
    }),
};

/** The language a person reads their email in: their setting, else the desk's. */
export const mailLanguage = (config: Config, person: { language?: string | null }): I18n =>
  i18nFor(isLanguage(person.language) ? person.language : config.defaultLanguage);
