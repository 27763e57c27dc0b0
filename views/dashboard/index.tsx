import type { Day } from "../../src/dashboard/figures.js";
import { useI18n, useT } from "../../src/i18n/view.js";
import { statusLabel } from "../../src/i18n/words.js";
import type { Score, SurveyFigures } from "../../src/survey/survey.js";
import { PRIORITIES } from "../../src/tickets/model.js";
import { PriorityBadge } from "../components/badges.js";
import { Time, useTimeZone } from "../components/time.js";
export type DashboardProps = {
  openByPriority: Record<string, number>;
  overdueByPriority: Record<string, number>;
  atRiskByPriority: Record<string, number>;
  oldest: { id: number; subject: string; createdAt: Date; status: string } | null;
  days: Day[];
  /** The satisfaction survey's figures; none when an admin turned it off. */
  survey?: SurveyFigures;
};

/** Opened and closed per day as bars drawn on the server: no script, readable as a table too. */
export function WeekChart({ days }: { days: Day[] }) {
  const max = Math.max(1, ...days.flatMap((d) => [d.opened, d.closed]));
  const height = 120;
  const bar = 14;
  const slot = 64;
  const scale = (n: number) => Math.round((n / max) * (height - 20));
  const t = useT();
  const summary = days.map((d) => t("dash.chartDay", d)).join("; ");
  return (
    <svg
      class="chart"
      viewBox={`0 0 ${slot * days.length} ${height + 30}`}
      width={slot * days.length}
      height={height + 30}
      role="img"
      aria-label={t("dash.chartLabel", { summary })}
    >
      {days.map((d, i) => {
        const x = i * slot + 12;
        return (
          <g>
            <rect class="opened" x={x} y={height - scale(d.opened)} width={bar} height={scale(d.opened)} />
            <rect class="closed" x={x + bar + 4} y={height - scale(d.closed)} width={bar} height={scale(d.closed)} />
            <text x={x} y={height - scale(d.opened) - 4}>
              {d.opened}
            </text>
            <text x={x + bar + 4} y={height - scale(d.closed) - 4}>
              {d.closed}
            </text>
            <text x={x} y={height + 16}>
              {d.date.slice(5)}
            </text>
          </g>
        );
      })}
    </svg>
  );
}

/** Overdue and at-risk tickets per priority, each count a link to exactly those tickets, due soonest first. */
function DueCounts({ overdue, atRisk }: { overdue: Record<string, number>; atRisk: Record<string, number> }) {
  const { t, number } = useI18n();
  const link = (p: string, due: string, n: number) => (
    <a href={`/queue?status=active&priority=${p}&due=${due}&sort=due`}>{number(n)}</a>
  );
  return (
    <table class="due-counts">
      <caption class="visually-hidden">{t("dash.due")}</caption>
      <thead>
        <tr>
          <th scope="col">{t("filter.priority")}</th>
          <th scope="col">{t("queue.dueOverdue")}</th>
          <th scope="col">{t("dash.atRisk")}</th>
        </tr>
      </thead>
      <tbody>
        {[...PRIORITIES].reverse().map((p) => (
          <tr>
            <th scope="row">
              <PriorityBadge priority={p} />
            </th>
            <td>{link(p, "overdue", overdue[p] ?? 0)}</td>
            <td>{link(p, "risk", atRisk[p] ?? 0)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** "How did we do?": the share of good answers over 7 and 30 days, and the latest comments, each linked to its ticket. */
function Satisfaction({ survey }: { survey: SurveyFigures }) {
  const t = useT();
  const line = (label: string, s: Score) => {
    const all = s.good + s.bad;
    return (
      <li>
        {label}:{" "}
        {all ? (
          <strong>{t("dash.surveyScore", { percent: Math.round((s.good / all) * 100), good: s.good, all })}</strong>
        ) : (
          t("dash.surveyNone")
        )}
      </li>
    );
  };
  return (
    <>
      <h2>{t("dash.survey")}</h2>
      <ul class="counts">
        {line(t("dash.survey7"), survey.week)}
        {line(t("dash.survey30"), survey.month)}
      </ul>
      {survey.comments.length > 0 && (
        <>
          <h3>{t("dash.surveyComments")}</h3>
          <ul class="survey-comments">
            {survey.comments.map((c) => (
              <li>
                <a href={`/tickets/${c.ticketId}`}>
                  {t("list.ticketNumber", { id: c.ticketId })} <bdi>{c.subject}</bdi>
                </a>{" "}
                · {c.rating === "good" ? t("survey.good") : t("survey.bad")} · <Time date={c.changedAt} />
                <br />
                <q dir="auto">{c.comment}</q>
              </li>
            ))}
          </ul>
        </>
      )}
    </>
  );
}

export function DashboardPage({
  openByPriority,
  overdueByPriority,
  atRiskByPriority,
  oldest,
  days,
  survey,
}: DashboardProps) {
  const openTotal = Object.values(openByPriority).reduce((a, b) => a + b, 0);
  const { t, rich, number } = useI18n();
  return (
    <section>
      <h1>{t("dash.title")}</h1>
      <h2>{t("dash.byPriority")}</h2>
      <ul class="counts">
        {[...PRIORITIES].reverse().map((p) => (
          <li>
            <a href={`/queue?status=active&priority=${p}&sort=oldest`}>
              <PriorityBadge priority={p} /> {number(openByPriority[p] ?? 0)}
            </a>
          </li>
        ))}
        <li>
          <strong>{t("dash.total", { count: openTotal })}</strong>
        </li>
      </ul>
      <h2>{t("dash.due")}</h2>
      <DueCounts overdue={overdueByPriority} atRisk={atRiskByPriority} />
      {survey && <Satisfaction survey={survey} />}
      <h2>{t("dash.oldest")}</h2>
      {oldest ? (
        <p>
          <a href={`/tickets/${oldest.id}`}>
            {t("list.ticketNumber", { id: oldest.id })} <bdi>{oldest.subject}</bdi>
          </a>{" "}
          {rich("dash.oldestLine", {
            status: statusLabel(t, oldest.status),
            when: (<Time date={oldest.createdAt} />) as never,
          })}
        </p>
      ) : (
        <p>{t("dash.nothing")}</p>
      )}
      <h2>{t("dash.week")}</h2>
      <p class="meta">
        <span class="key opened">{t("dash.keyOpened")}</span> · <span class="key closed">{t("dash.keyClosed")}</span>
      </p>
      <WeekChart days={days} />
      <table>
        <caption>{t("dash.tableCaption", { zone: useTimeZone() })}</caption>
        <thead>
          <tr>
            <th scope="col">{t("dash.day")}</th>
            <th scope="col">{t("dash.opened")}</th>
            <th scope="col">{t("dash.closed")}</th>
          </tr>
        </thead>
        <tbody>
          {days.map((d) => (
            <tr>
              <td>{d.date}</td>
              <td>{number(d.opened)}</td>
              <td>{number(d.closed)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
