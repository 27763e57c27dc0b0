import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CurrentUser } from "../../../src/env.js";
import { readPolicy } from "../../../src/sla/policy.js";
import { recomputing } from "../../../src/sla/recompute.js";
import { openTicket } from "../../../src/tickets/open.js";
import { type Browser, browserAs, createUser, fieldValue, section, type TestApp, testApp } from "../../helpers/app.js";

// /admin/sla: the desk's business hours, holidays and targets. Admins only; every box that cannot
// be read comes back with its message next to it (422) and nothing saved; a saved policy brings
// the open tickets' due times up to date.

let t: TestApp;
let adminUser: CurrentUser, requesterUser: CurrentUser;
let admin: Browser;

/** The form as the page shows it by default, with these boxes changed. */
const form = (changes: Record<string, string> = {}) => ({
  zone: "Europe/Berlin",
  hours_1: "09:00-12:00, 13:00-17:00",
  hours_2: "09:00-17:00",
  hours_3: "09:00-17:00",
  hours_4: "09:00-17:00",
  hours_5: "09:00-15:00",
  hours_6: "",
  hours_7: "",
  holidays: "2026-12-25 Christmas Day\n2026-12-26 Boxing Day",
  first_Urgent: "30m",
  resolution_Urgent: "4h",
  first_High: "2h",
  resolution_High: "8h",
  first_Medium: "4h",
  resolution_Medium: "24h",
  first_Low: "",
  resolution_Low: "90",
  risk: "75",
  ...changes,
});

beforeAll(async () => {
  t = await testApp();
  adminUser = await createUser(t.db, { role: "admin", name: "Ada Admin" });
  requesterUser = await createUser(t.db, { name: "Rita Requester" });
  admin = await browserAs(t, adminUser);
});
afterAll(() => t.close());

describe("the service hours page", () => {
  it("shows the default policy: office hours in TIME_ZONE and a small desk's targets", async () => {
    const page = await admin.get("/admin/sla");
    expect(page.status).toBe(200);
    expect(page.text).toContain("<title>Service hours and targets · Hyperdesk</title>");
    expect(fieldValue(page.text, "zone")).toBe("UTC");
    expect(fieldValue(page.text, "hours_1")).toBe("09:00-17:00");
    expect(fieldValue(page.text, "hours_6")).toBe("");
    expect(fieldValue(page.text, "first_Urgent")).toBe("30m");
    expect(fieldValue(page.text, "resolution_Medium")).toBe("24h");
    expect(fieldValue(page.text, "risk")).toBe("80");
    expect(section(page.text, "sla-form")).toContain('<label for="hours_1">Monday</label>');
    expect(page.text).toContain('<option value="America/New_York">');
  });

  it("is for admins only: requesters and agents get 403, and nothing is saved", async () => {
    const agent = await browserAs(t, await createUser(t.db, { role: "agent" }));
    const requester = await browserAs(t, requesterUser);
    for (const who of [agent, requester]) {
      expect((await who.get("/admin/sla")).status).toBe(403);
      expect((await who.post("/admin/sla", form({ risk: "10" }))).status).toBe(403);
    }
    expect((await readPolicy(t.db, "UTC")).riskPercent).toBe(80);
    const anonymous = await t.app.request("/admin/sla");
    expect([302, 303]).toContain(anonymous.status);
  });

  it("answers unreadable boxes with 422, each message next to its box, what was typed kept and nothing saved", async () => {
    const bad = form({
      zone: "Mars/Olympus",
      hours_2: "17:00-09:00",
      hours_3: "09:00-13:00, 12:00-17:00",
      holidays: "2026-12-25 Christmas Day\n25/12/2026 Boxing Day",
      first_High: "soon",
      resolution_Low: "0",
      resolution_High: "1d", // a day is not a length of business time: 8 hours? 24?
      risk: "150",
    });
    const res = await admin.post("/admin/sla", bad);
    expect(res.status).toBe(422);
    expect(res.text).toContain("<title>Error: Service hours and targets · Hyperdesk</title>");
    const error = (name: string) => section(res.text, `${name}-error`);
    expect(error("zone")).toContain("Enter a time zone name such as Europe/Berlin.");
    expect(error("hours_2")).toContain("each starts before it ends");
    expect(error("hours_3")).toContain("none overlaps another");
    expect(error("holidays")).toContain("Line 2: start with a date such as 2026-12-25");
    expect(error("first_High")).toContain("Write business time such as 30m");
    expect(error("resolution_Low")).toContain("Write business time such as 30m");
    expect(error("resolution_High")).toContain("Write business time such as 30m");
    expect(error("risk")).toContain("Enter a whole number from 1 to 99.");
    expect(error("hours_1")).toBe("");
    expect(fieldValue(res.text, "first_High")).toBe("soon");
    expect(fieldValue(res.text, "hours_3")).toBe("09:00-13:00, 12:00-17:00");
    expect((await readPolicy(t.db, "UTC")).calendar.zone).toBe("UTC");
    // With htmx, the form alone comes back, in place.
    const partial = await admin.post("/admin/sla", bad, { htmx: "partial" });
    expect(partial.status).toBe(422);
    expect(partial.text).toMatch(/^<form id="sla-form"/);
  });

  it("says it in the person's language, right to left in Arabic", async () => {
    const arabic = await browserAs(t, await createUser(t.db, { role: "admin" }));
    await arabic.post("/language", { lang: "ar", back: "/admin/sla" });
    const res = await arabic.post("/admin/sla", form({ risk: "0" }));
    expect(res.status).toBe(422);
    expect(res.text).toContain('dir="rtl"');
    expect(section(res.text, "risk-error")).toContain("أدخل عددًا صحيحًا من 1 إلى 99.");
    expect(section(res.text, "sla-form")).toContain("الاثنين");
  });

  it("saves a valid policy and brings the open tickets' due times up to date", async () => {
    t.clock.t = Date.parse("2026-11-25T09:00:00Z"); // Wednesday, 10:00 in Berlin
    const { id } = await openTicket(
      t.deps,
      requesterUser,
      { subject: "Printer jams", description: "On floor 2.", priority: "High" },
      undefined,
    );
    const before = await t.db.ticket.findUniqueOrThrow({ where: { id } });
    expect(before.firstResponseDueAt?.toISOString()).toBe("2026-11-25T11:00:00.000Z"); // 2h of 09-17 UTC
    const res = await admin.post("/admin/sla", form());
    expect(res.status).toBe(303);
    expect(res.location).toBe("/admin/sla");
    const page = await admin.get("/admin/sla");
    expect(page.text).toMatch(/Saved\. The due times of \d+ open tickets? (is|are) being brought up to date\./);
    expect(fieldValue(page.text, "hours_1")).toBe("09:00-12:00, 13:00-17:00");
    expect(fieldValue(page.text, "resolution_High")).toBe("8h");
    expect(fieldValue(page.text, "first_Low")).toBe("");
    expect(fieldValue(page.text, "resolution_Low")).toBe("1h 30m");
    expect(fieldValue(page.text, "holidays")).toBe("2026-12-25 Christmas Day\n2026-12-26 Boxing Day");
    const policy = await readPolicy(t.db, "UTC");
    expect(policy.calendar.zone).toBe("Europe/Berlin");
    expect(policy.targets.Low).toEqual({ firstResponse: null, resolution: 90 });
    expect(policy.riskPercent).toBe(75);
    await recomputing(t.deps);
    const after = await t.db.ticket.findUniqueOrThrow({ where: { id } });
    // Opened at 10:00 Berlin time on a Wednesday: 2 business hours later is 12:00 Berlin, 11:00 UTC.
    expect(after.firstResponseDueAt?.toISOString()).toBe("2026-11-25T11:00:00.000Z");
    // 8 business hours: 7 on Wednesday (10:00-17:00 Berlin), the eighth on Thursday 09:00-10:00 Berlin.
    expect(after.resolutionDueAt?.toISOString()).toBe("2026-11-26T09:00:00.000Z");
    // Due times are not a change anyone made: the same version, the same "updated" time.
    expect(after.version).toBe(before.version);
    expect(after.updatedAt).toEqual(before.updatedAt);
  });

  it("an empty calendar is around the clock, and the page says so", async () => {
    const empty = Object.fromEntries([1, 2, 3, 4, 5, 6, 7].map((d) => [`hours_${d}`, ""]));
    const res = await admin.post("/admin/sla", form(empty), { htmx: "partial" });
    expect(res.status).toBe(200);
    expect(res.text).toContain("No working hours are set: every hour of every day counts.");
    expect(res.text).toContain("Saved.");
    expect((await readPolicy(t.db, "UTC")).calendar.hours).toEqual({});
    await recomputing(t.deps);
  });
});
