import { PriorityBadge } from "../components/badges.js";
import { Time, useTimeZone } from "../components/time.js";
import { PRIORITIES } from "../../src/tickets/model.js";

import type { Day } from "../../src/dashboard/figures.js";
export type DashboardProps = {
  openByPriority: Record<string, number>;
  oldest: { id: number; subject: string; createdAt: Date; status: string } | null;
  days: Day[];
};

/** Opened and closed per day as bars drawn on the server: no script, readable as a table too. */
export function WeekChart({ days }: { days: Day[] }) {
  const max = Math.max(1, ...days.flatMap((d) => [d.opened, d.closed]));
  const height = 120;
  const bar = 14;
  const slot = 64;
  const scale = (n: number) => Math.round((n / max) * (height - 20));
  const summary = days.map((d) => `${d.date}: ${d.opened} opened, ${d.closed} closed`).join("; ");
  return (
    <svg
      class="chart"
      viewBox={`0 0 ${slot * days.length} ${height + 30}`}
      width={slot * days.length}
      height={height + 30}
      role="img"
      aria-label={`Tickets opened and closed per day. ${summary}`}
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

export function DashboardPage({ openByPriority, oldest, days }: DashboardProps) {
  const openTotal = Object.values(openByPriority).reduce((a, b) => a + b, 0);
  return (
    <section>
      <h1>Dashboard</h1>
      <h2>Open tickets by priority</h2>
      <ul class="counts">
        {[...PRIORITIES].reverse().map((p) => (
          <li>
            <a href={`/queue?status=active&priority=${p}&sort=oldest`}>
              <PriorityBadge priority={p} /> {openByPriority[p] ?? 0}
            </a>
          </li>
        ))}
        <li>
          <strong>Total not closed: {openTotal}</strong>
        </li>
      </ul>
      <h2>Oldest ticket waiting</h2>
      {oldest ? (
        <p>
          <a href={`/tickets/${oldest.id}`}>
            #{oldest.id} {oldest.subject}
          </a>{" "}
          ({oldest.status}), opened <Time date={oldest.createdAt} />
        </p>
      ) : (
        <p>Nothing is waiting. Well done.</p>
      )}
      <h2>Last 7 days</h2>
      <p class="meta">
        <span class="key opened">Blue: opened</span> · <span class="key closed">Green: closed</span>
      </p>
      <WeekChart days={days} />
      <table>
        <caption>Opened and closed per day ({useTimeZone()})</caption>
        <thead>
          <tr>
            <th scope="col">Day</th>
            <th scope="col">Opened</th>
            <th scope="col">Closed</th>
          </tr>
        </thead>
        <tbody>
          {days.map((d) => (
            <tr>
              <td>{d.date}</td>
              <td>{d.opened}</td>
              <td>{d.closed}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
