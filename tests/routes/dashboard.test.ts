import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { browserAs, createUser, type TestApp, testApp } from "../helpers/app.js";

// The desk in New York: its days and times are New York's, whatever the server's clock says.
let t: TestApp;
beforeAll(async () => {
  t = await testApp({ TIME_ZONE: "America/New_York" });
});
afterAll(() => t.close());

describe("the dashboard in the desk's time zone (TIME_ZONE)", () => {
  it("counts tickets on the local day they were opened and closed, and says which zone", async () => {
    t.clock.t = Date.parse("2026-11-25T15:00:00Z"); // 10:00 in New York
    const requester = await createUser(t.db);
    const agent = await browserAs(t, await createUser(t.db, { role: "agent" }));
    // 03:00 UTC on the 25th is still the evening of the 24th in New York.
    await t.db.ticket.create({
      data: {
        subject: "Late evening",
        description: "Opened at 22:00 local.",
        requesterId: requester.id,
        createdAt: new Date("2026-11-25T03:00:00Z"),
      },
    });
    await t.db.ticket.create({
      data: {
        subject: "This morning",
        description: "Opened at 09:00 local.",
        requesterId: requester.id,
        createdAt: new Date("2026-11-25T14:00:00Z"),
        status: "Closed",
        closedAt: new Date("2026-11-25T14:30:00Z"),
      },
    });
    // Eight local days ago: outside the window.
    await t.db.ticket.create({
      data: {
        subject: "Last week",
        description: "Opened long ago.",
        requesterId: requester.id,
        createdAt: new Date("2026-11-18T12:00:00Z"),
      },
    });
    const res = await agent.get("/dashboard");
    expect(res.status).toBe(200);
    const rows = [...res.text.matchAll(/<tr><td>(\d{4}-\d\d-\d\d)<\/td><td>(\d+)<\/td><td>(\d+)<\/td><\/tr>/g)].map(
      (m) => [m[1], Number(m[2]), Number(m[3])],
    );
    expect(rows.map((r) => r[0])).toEqual([
      "2026-11-19",
      "2026-11-20",
      "2026-11-21",
      "2026-11-22",
      "2026-11-23",
      "2026-11-24",
      "2026-11-25",
    ]);
    expect(rows.at(-2)).toEqual(["2026-11-24", 1, 0]);
    expect(rows.at(-1)).toEqual(["2026-11-25", 1, 1]);
    expect(res.text).toContain("Opened and closed per day (America/New_York)");
    expect(res.text).toContain(
      'opened <time datetime="2026-11-25T03:00:00.000Z" title="2026-11-24 22:00 EST">12 hours ago</time>',
    );
  });

  it("counts by local day across the end of summer time (a 25-hour day), each day an index range", async () => {
    // Sunday 1 November 2026: New York's clocks went back at 02:00, so that day ran from 04:00 to 05:00 UTC
    // of the next. A window cut in 24-hour steps from a midnight would put 04:30 UTC on the 2nd there.
    t.clock.t = Date.parse("2026-11-03T15:00:00Z");
    const requester = await createUser(t.db);
    const agent = await browserAs(t, await createUser(t.db, { role: "agent" }));
    const opened = (iso: string, closed?: string) =>
      t.db.ticket.create({
        data: {
          subject: `Opened ${iso}`,
          description: "Around the change of clocks.",
          requesterId: requester.id,
          createdAt: new Date(iso),
          ...(closed ? { status: "Closed", closedAt: new Date(closed) } : {}),
        },
      });
    await opened("2026-11-01T03:30:00Z"); // 23:30 EDT on the 31st
    await opened("2026-11-01T04:30:00Z"); // 00:30 EDT on the 1st
    await opened("2026-11-02T04:30:00Z", "2026-11-02T04:59:00Z"); // 23:30 and 23:59 EST on the 1st
    await opened("2026-11-02T05:00:00Z", "2026-11-02T05:00:00Z"); // midnight EST: the 2nd
    await opened("2026-10-28T03:59:00Z"); // 23:59 EDT on the 27th: the day before the window
    const res = await agent.get("/dashboard");
    const rows = [...res.text.matchAll(/<tr><td>(\d{4}-\d\d-\d\d)<\/td><td>(\d+)<\/td><td>(\d+)<\/td><\/tr>/g)].map(
      (m) => [m[1], Number(m[2]), Number(m[3])],
    );
    expect(rows).toEqual([
      ["2026-10-28", 0, 0],
      ["2026-10-29", 0, 0],
      ["2026-10-30", 0, 0],
      ["2026-10-31", 1, 0],
      ["2026-11-01", 2, 1],
      ["2026-11-02", 1, 1],
      ["2026-11-03", 0, 0],
    ]);
  });
});
