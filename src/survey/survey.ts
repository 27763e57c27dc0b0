import type { Config } from "../config.js";
import type { Deps } from "../env.js";
import { sign, unsign } from "../guests/codes.js";
import { publicBase } from "../mail/messages.js";
import { statusesOf } from "../tickets/statuses.js";

// "How did we do?": the closing email's two one-click links (Good / Not good) lead to a page that
// shows the choice made and one button: a GET never records (mail scanners fetch links). The link
// is signed for one ticket's one closure (its closedAt), shows nothing of the ticket but its number
// and subject, and needs no sign-in. One answer per closure, changeable for CHANGE_DAYS.

export const RATINGS = ["good", "bad"] as const;
export type Rating = (typeof RATINGS)[number];
export const CHANGE_DAYS = 7;
export const COMMENT_MAX = 1000;
const SETTING = "survey";
const DAY = 86_400_000;

/** Whether closing emails ask (on unless an admin turned it off). */
export async function surveyOn(deps: Deps): Promise<boolean> {
  const row = await deps.db.setting.findUnique({ where: { key: SETTING } });
  return row?.value !== "off";
}

export async function setSurveyOn(deps: Deps, on: boolean): Promise<void> {
  const value = on ? "on" : "off";
  await deps.db.setting.upsert({ where: { key: SETTING }, create: { key: SETTING, value }, update: { value } });
}

/** The signed part of a survey link: the ticket and its closure, nothing else. */
const tokenOf = (config: Config, ticketId: number, closedAt: Date) =>
  sign(config.authSecret, "survey", `${ticketId}-${closedAt.getTime().toString(36)}`);

/** The link of one answer in the closing email (the page it opens still asks for the button). */
export const surveyUrl = (config: Config, ticketId: number, closedAt: Date, rating: Rating) =>
  `${publicBase(config)}/survey/${tokenOf(config, ticketId, closedAt)}?rating=${rating}`;

export type Survey = {
  token: string;
  ticket: { id: number; subject: string };
  closedAt: Date;
  answer: { rating: Rating; comment: string | null; answeredAt: Date } | null;
  /** Until when the answer may still be given or changed. */
  changeUntil: Date | null;
};

/**
 * The survey a link names: "invalid" for a link not signed here (or for a ticket that is gone),
 * "over" when that closure is no more (the ticket was reopened, closed again or merged).
 */
export async function readSurvey(deps: Deps, token: string): Promise<Survey | "invalid" | "over"> {
  const value = unsign(deps.config.authSecret, "survey", token);
  const m = value?.match(/^(\d{1,10})-([0-9a-z]{1,12})$/);
  if (!m) return "invalid";
  const [ticketId, closedAt] = [Number(m[1]), new Date(Number.parseInt(m[2]!, 36))];
  const ticket = await deps.db.ticket.findUnique({
    where: { id: ticketId },
    select: { id: true, subject: true, status: true, closedAt: true, mergedIntoId: true },
  });
  if (!ticket) return "invalid";
  const closed = (await statusesOf(deps)).isClosed(ticket.status);
  if (!closed || ticket.mergedIntoId !== null || ticket.closedAt?.getTime() !== closedAt.getTime()) return "over";
  const row = await deps.db.surveyAnswer.findUnique({
    where: { ticketId_closedAt: { ticketId, closedAt } },
    select: { rating: true, comment: true, answeredAt: true },
  });
  const answer = row ? { ...row, rating: row.rating as Rating } : null;
  const changeUntil = answer ? new Date(answer.answeredAt.getTime() + CHANGE_DAYS * DAY) : null;
  return { token, ticket: { id: ticket.id, subject: ticket.subject }, closedAt, answer, changeUntil };
}

/** Records or changes the answer: "late" when its CHANGE_DAYS have passed (the answer stays). */
export async function answerSurvey(
  deps: Deps,
  survey: Survey,
  rating: Rating,
  comment: string | null,
): Promise<"done" | "late"> {
  const now = deps.clock.now();
  if (survey.changeUntil && now > survey.changeUntil) return "late";
  const where = { ticketId_closedAt: { ticketId: survey.ticket.id, closedAt: survey.closedAt } };
  const data = { rating, comment, changedAt: now };
  try {
    await deps.db.surveyAnswer.upsert({
      where,
      create: { ticketId: survey.ticket.id, closedAt: survey.closedAt, answeredAt: now, ...data },
      update: data,
    });
  } catch (error) {
    // Two answers to one closure at the same moment (a double click): the later one is kept.
    if ((error as { code?: string }).code !== "P2002") throw error;
    await deps.db.surveyAnswer.update({ where, data });
  }
  return "done";
}

export type Score = { good: number; bad: number };
export type SurveyFigures = {
  week: Score;
  month: Score;
  comments: { ticketId: number; subject: string; rating: Rating; comment: string; changedAt: Date }[];
};

/** The share of "good" over the last 7 and 30 days, and the latest comments, for the dashboard. */
export async function surveyFigures(deps: Deps): Promise<SurveyFigures> {
  const now = deps.clock.now().getTime();
  const score = async (days: number): Promise<Score> => {
    const groups = await deps.db.surveyAnswer.groupBy({
      by: ["rating"],
      where: { changedAt: { gte: new Date(now - days * DAY) } },
      _count: { _all: true },
    });
    const count = (r: Rating) => groups.find((g) => g.rating === r)?._count._all ?? 0;
    return { good: count("good"), bad: count("bad") };
  };
  const [week, month, rows] = await Promise.all([
    score(7),
    score(30),
    deps.db.surveyAnswer.findMany({
      where: { comment: { not: null }, changedAt: { gte: new Date(now - 30 * DAY) } },
      orderBy: { changedAt: "desc" },
      take: 5,
      select: { ticketId: true, rating: true, comment: true, changedAt: true, ticket: { select: { subject: true } } },
    }),
  ]);
  const comments = rows.map((r) => ({
    ticketId: r.ticketId,
    subject: r.ticket.subject,
    rating: r.rating as Rating,
    comment: r.comment!,
    changedAt: r.changedAt,
  }));
  return { week, month, comments };
}

/** The latest answer about a ticket, for staff on its page. */
export const latestAnswer = (deps: Deps, ticketId: number) =>
  deps.db.surveyAnswer.findFirst({
    where: { ticketId },
    orderBy: { closedAt: "desc" },
    select: { rating: true, comment: true, changedAt: true, closedAt: true },
  });
