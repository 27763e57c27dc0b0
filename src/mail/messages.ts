import { html } from "hono/html";
import type { Config } from "../config.js";

// The words of each email, as plain text and a small HTML part with no remote images.

export type Ticketish = { id: number; subject: string; priority: string };
export type Composed = { subject: string; text: string; html: string };

export const publicBase = (config: Config) => config.publicUrl ?? `http://localhost:${config.port}`;
export const ticketUrl = (config: Config, id: number) => `${publicBase(config)}/tickets/${id}`;

/** `[#123] Subject`, and `Re: ` before it on every message after the first of a ticket. */
export const mailSubject = (ticket: Ticketish, first: boolean) =>
  `${first ? "" : "Re: "}[#${ticket.id}] ${ticket.subject.replace(/[\r\n]+/g, " ")}`;

type Part = { lead: string; quote?: string; facts?: [string, string][]; action: string; url: string; after?: string };

/** One message from its parts: who did what, the text they wrote, the link, why this email came. */
function compose(config: Config, subject: string, part: Part): Composed {
  const settings = `${publicBase(config)}/account#mail`;
  const facts = (part.facts ?? []).map(([k, v]) => `${k}: ${v}`).join("\n");
  const quote = part.quote?.trim();
  const why = part.after ?? `You get this email from ${config.mail.from.name}.`;
  const text = [
    part.lead,
    facts,
    quote,
    `${part.action}: ${part.url}`,
    `-- \n${why}${part.after ? "" : ` Choose which emails you get: ${settings}`}`,
  ]
    .filter(Boolean)
    .join("\n\n");
  const body = html`<!doctype html>
<html><head><meta charset="utf-8"><title>${subject}</title></head>
<body style="font-family:sans-serif;line-height:1.5;max-width:40em">
<p>${part.lead}</p>
${facts ? html`<p>${(part.facts ?? []).map(([k, v]) => html`${k}: <strong>${v}</strong><br>`)}</p>` : ""}
${quote ? html`<blockquote style="white-space:pre-wrap;border-left:3px solid #999;margin:0;padding-left:1em">${quote}</blockquote>` : ""}
<p><a href="${part.url}">${part.action}</a></p>
<p style="color:#555;font-size:0.9em">${why}${part.after ? "" : html` <a href="${settings}">Choose which emails you get</a>.`}</p>
</body></html>`;
  return { subject, text: `${text}\n`, html: String(body) };
}

/** A message about a ticket: its subject, and the link to it. */
const aboutTicket = (config: Config, t: Ticketish, first: boolean, part: Omit<Part, "url">) =>
  compose(config, mailSubject(t, first), { ...part, url: ticketUrl(config, t.id) });

/** The link of a sign-in or reset email; it works once, for `minutes`. */
export const linkMessages = {
  signin: (config: Config, name: string, url: string, minutes: number) =>
    compose(config, `Your sign-in link for ${config.mail.from.name}`, {
      lead: `Hello ${name}, here is the link you asked for to sign in to ${config.mail.from.name}. It works once, for ${minutes} minutes.`,
      action: "Sign in",
      url,
      after: "If you did not ask for it, ignore this email: nothing happens without the link.",
    }),
  reset: (config: Config, name: string, url: string, minutes: number) =>
    compose(config, `Reset your password for ${config.mail.from.name}`, {
      lead: `Hello ${name}, here is the link you asked for to choose a new password. It works once, for ${minutes} minutes. Choosing a new password signs you out everywhere.`,
      action: "Choose a new password",
      url,
      after: "If you did not ask for it, ignore this email: your password stays as it is.",
    }),
};

export const messages = {
  receipt: (config: Config, t: Ticketish & { description: string }, name: string) =>
    aboutTicket(config, t, true, {
      lead: `Hello ${name}, we received your request. Its number is #${t.id}: keep it to find your ticket again.`,
      facts: [
        ["Subject", t.subject],
        ["Priority", t.priority],
      ],
      quote: t.description,
      action: "Follow your ticket, reply to it or close it",
    }),
  reply: (config: Config, t: Ticketish, author: string, body: string) =>
    aboutTicket(config, t, false, {
      lead: `${author} answered your ticket #${t.id}:`,
      quote: body,
      action: "See the whole conversation and reply",
    }),
  waiting: (config: Config, t: Ticketish, actor: string) =>
    aboutTicket(config, t, false, {
      lead: `${actor} set your ticket #${t.id} to Waiting: the desk needs an answer from you to go on.`,
      action: "See what the desk asked and answer",
    }),
  closed: (config: Config, t: Ticketish, actor: string) =>
    aboutTicket(config, t, false, {
      lead: `${actor} closed your ticket #${t.id}. If the problem is not solved, reply on the ticket page and it opens again.`,
      action: "See the ticket",
    }),
  assigned: (config: Config, t: Ticketish & { description: string }, actor: string, requester: string) =>
    aboutTicket(config, t, false, {
      lead: `${actor} assigned ticket #${t.id} to you.`,
      facts: [
        ["Subject", t.subject],
        ["Priority", t.priority],
        ["Requester", requester],
      ],
      quote: t.description,
      action: "Open the ticket",
    }),
  requester_reply: (config: Config, t: Ticketish, requester: string, body: string) =>
    aboutTicket(config, t, false, {
      lead: `${requester} answered ticket #${t.id}:`,
      quote: body,
      action: "Open the ticket",
    }),
  new_ticket: (config: Config, t: Ticketish & { description: string }, requester: string) =>
    aboutTicket(config, t, false, {
      lead: `${requester} opened ticket #${t.id}. Nobody is assigned to it yet.`,
      facts: [
        ["Subject", t.subject],
        ["Priority", t.priority],
      ],
      quote: t.description,
      action: "Open the ticket",
    }),
};
