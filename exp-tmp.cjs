const D = require("better-sqlite3");
const d = new D("/tmp/hyperdesk-bench-L8VVP2/bench.db", { readonly: true });
const time = (label, sql, ...args) => {
  const st = d.prepare(sql);
  st.all(...args);
  const t0 = performance.now();
  let r;
  for (let i = 0; i < 5; i++) r = st.all(...args);
  console.log(label, ((performance.now() - t0) / 5).toFixed(1), "ms", r.length, JSON.stringify(r[0] ?? null));
};
const req = d.prepare("select id from User where email='bench@example.com'").get().id;
time(
  "IN subquery req+status",
  `SELECT t.id FROM Ticket t WHERE t.requesterId=? AND t.status='Open' AND t.id IN (SELECT rowid FROM TicketSearch WHERE TicketSearch MATCH '"scanner"') ORDER BY t.id DESC LIMIT 26`,
  req,
);
time(
  "join fts-driven",
  `SELECT t.id FROM TicketSearch s JOIN Ticket t ON t.id=s.rowid WHERE TicketSearch MATCH '"scanner"' AND t.requesterId=? AND t.status='Open' ORDER BY s.rowid DESC LIMIT 26`,
  req,
);
time("fts alone count", `SELECT count(*) FROM TicketSearch WHERE TicketSearch MATCH '"scanner"'`);
time(
  "fts order desc limit",
  `SELECT rowid FROM TicketSearch WHERE TicketSearch MATCH '"scanner"' ORDER BY rowid DESC LIMIT 26`,
);
time(
  "counts",
  `SELECT t.status, count(*) FROM Ticket t WHERE t.id IN (SELECT rowid FROM TicketSearch WHERE TicketSearch MATCH '"scanner"') GROUP BY t.status`,
);
time(
  "rare",
  `SELECT t.id FROM Ticket t WHERE t.id IN (SELECT rowid FROM TicketSearch WHERE TicketSearch MATCH '"ticket 19999"') ORDER BY t.id DESC LIMIT 26`,
);
console.log(
  d
    .prepare(
      `EXPLAIN QUERY PLAN SELECT t.id FROM Ticket t WHERE t.requesterId=? AND t.status='Open' AND t.id IN (SELECT rowid FROM TicketSearch WHERE TicketSearch MATCH '"scanner"') ORDER BY t.id DESC LIMIT 26`,
    )
    .all(req),
);
