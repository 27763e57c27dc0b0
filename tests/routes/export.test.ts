import { brotliDecompressSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ownReaders } from "../../src/db/reads.js";
import type { CurrentUser } from "../../src/env.js";
import { compressCounts } from "../../src/http/compress.js";
import { csvCell, EXPORT_PAGE, exportName } from "../../src/tickets/export.js";
import { type Browser, browserAs, createUser, type TestApp, testApp } from "../helpers/app.js";

// CSV export: any queue view for agents, a requester's own tickets from /tickets; every matching
// ticket (read a page at a time as the download goes), UTF-8 with a BOM, ISO dates, no formula a
// spreadsheet would run, a file name with the view and the day.

let t: TestApp;
let agentUser: CurrentUser, rita: CurrentUser, omar: CurrentUser;
let agent: Browser, requester: Browser;

/** The CSV's lines without the BOM and the last line break. */
const linesOf = (text: string) =>
  text
    .replace(/^\uFEFF/, "")
    .replace(/\r\n$/, "")
    .split("\r\n");

beforeAll(async () => {
  t = await testApp();
  t.clock.t = Date.parse("2026-12-07T10:00:00Z");
  agentUser = await createUser(t.db, { role: "agent", name: "Alex Agent" });
  rita = await createUser(t.db, { name: "Rita Requester" });
  omar = await createUser(t.db, { name: "Omar Other" });
  agent = await browserAs(t, agentUser);
  requester = await browserAs(t, rita);
  const at = new Date("2026-12-01T08:30:00Z");
  await t.db.ticket.create({
    data: {
      subject: '=HYPERLINK("http://evil.example","Click")',
      description: "A formula in the subject.",
      priority: "High",
      requesterId: rita.id,
      assigneeId: agentUser.id,
      createdAt: at,
      updatedAt: at,
      tags: { create: { tag: { create: { name: "printer" } } } },
    },
  });
  await t.db.ticket.create({
    data: { subject: 'Says "hello", then\nbreaks', description: "Quotes.", requesterId: rita.id, createdAt: at },
  });
  await t.db.ticket.create({ data: { subject: "Omar's own", description: "Not Rita's.", requesterId: omar.id } });
});
afterAll(() => t.close());

describe("a cell", () => {
  it("neutralises what a spreadsheet would run, and quotes what would break a line", () => {
    for (const start of ["=", "+", "-", "@", "\t", "\r"]) expect(csvCell(`${start}1+1`)).toMatch(/^"?'/);
    expect(csvCell("=SUM(A1:A9)")).toBe("'=SUM(A1:A9)");
    expect(csvCell("-2")).toBe("'-2");
    expect(csvCell(42)).toBe("42");
    expect(csvCell('a "b", c')).toBe('"a ""b"", c"');
    expect(csvCell("two\r\nlines")).toBe('"two\r\nlines"');
    expect(csvCell(null)).toBe("");
    expect(csvCell("plain")).toBe("plain");
  });

  it("names the file after the list, its view and the day", () => {
    const now = new Date("2026-12-07T23:59:00Z");
    expect(exportName("queue", "status=active&tag=wifi%2C%20floor%202", now)).toBe(
      "hyperdesk-queue-status-active-tag-wifi-floor-2-2026-12-07.csv",
    );
    expect(exportName("tickets", "", now)).toBe("hyperdesk-tickets-2026-12-07.csv");
    expect(exportName("queue", "q=%C3%BCber%2F..%2F..%2Fetc", now)).toBe("hyperdesk-queue-q-über-etc-2026-12-07.csv");
  });
});

describe("the queue's export", () => {
  it("is every ticket of the view as CSV, with people, tags and ISO dates, formulas neutralised", async () => {
    const res = await agent.get("/queue/export.csv?status=active&sort=oldest");
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    expect(res.headers.get("Content-Disposition")).toBe(
      `attachment; filename="hyperdesk-queue-status-active-sort-oldest-2026-12-07.csv"; filename*=UTF-8''hyperdesk-queue-status-active-sort-oldest-2026-12-07.csv`,
    );
    expect(res.headers.get("Cache-Control")).toBe("private, no-store");
    // UTF-8 with a byte order mark (which a decoder takes off the text): spreadsheets read it as UTF-8.
    const raw = await t.app.request("/queue/export.csv", { headers: { Cookie: agent.cookieHeader() } });
    expect([...new Uint8Array(await raw.arrayBuffer()).slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = linesOf(res.text);
    expect(lines[0]).toBe(
      "Number,Subject,Status,Priority,Requester,Assignee,Tags,Next due (UTC),Created (UTC),Updated",
    );
    const [first] = await t.db.ticket.findMany({ orderBy: { id: "asc" }, take: 1 });
    expect(lines[1]).toBe(
      `${first!.id},"'=HYPERLINK(""http://evil.example"",""Click"")",Open,High,Rita Requester,Alex Agent,printer,,2026-12-01T08:30:00.000Z,2026-12-01T08:30:00.000Z`,
    );
    // A subject with a quote, a comma and a line break stays one cell.
    expect(res.text).toContain('"Says ""hello"", then\nbreaks"');
    expect(res.text).toContain("Omar's own");
  });

  it("holds every ticket once across many pages of the database", async () => {
    const extra = EXPORT_PAGE * 2 + 7;
    await t.db.ticket.createMany({
      data: Array.from({ length: extra }, (_, i) => ({
        subject: `Bulk ${i}`,
        description: "Many.",
        requesterId: omar.id,
      })),
    });
    const before = { ...ownReaders };
    const res = await agent.get("/queue/export.csv");
    // SQLite: read on a connection of its own (its small page cache, not the app's), closed at the end.
    const own = process.env.TEST_PROVIDER === "postgresql" ? 0 : 1;
    expect(ownReaders).toEqual({ opened: before.opened + own, closed: before.closed + own });
    const ids = linesOf(res.text)
      .slice(1)
      .map((line) => Number(line.split(",")[0]));
    const all = (await t.db.ticket.findMany({ select: { id: true }, orderBy: { id: "desc" } })).map((r) => r.id);
    expect(ids).toEqual(all);
    expect(ids.length).toBe(extra + 3);
  });

  it("lets its connection go when the download is abandoned half way", async () => {
    const before = { ...ownReaders };
    const res = await t.app.request("/queue/export.csv", { headers: { Cookie: agent.cookieHeader() } });
    const reader = res.body!.getReader();
    expect((await reader.read()).done).toBe(false);
    expect((await reader.read()).done).toBe(false);
    await reader.cancel();
    const own = process.env.TEST_PROVIDER === "postgresql" ? 0 : 1;
    expect(ownReaders).toEqual({ opened: before.opened + own, closed: before.closed + own });
    // The app's own connection is untouched: the queue still answers.
    expect((await agent.get("/queue")).status).toBe(200);
  });

  it("is compressed as it streams when the browser takes it, never read whole first", async () => {
    const plain = await agent.get("/queue/export.csv?q=Bulk");
    const before = { ...compressCounts };
    const res = await t.app.request("/queue/export.csv?q=Bulk", {
      headers: { Cookie: agent.cookieHeader(), "Accept-Encoding": "br" },
    });
    expect(res.headers.get("Content-Encoding")).toBe("br");
    expect(res.headers.get("Content-Length")).toBeNull();
    const text = brotliDecompressSync(Buffer.from(await res.arrayBuffer())).toString("utf8");
    expect(text).toBe(`\uFEFF${plain.text}`);
    expect(compressCounts.streamed).toBe(before.streamed + 1);
    expect(compressCounts.fromStream).toBe(before.fromStream);
  });

  it("is for staff: a requester gets 403, a stranger the sign-in page", async () => {
    expect((await requester.get("/queue/export.csv")).status).toBe(403);
    const stranger = await t.app.request("/queue/export.csv");
    expect(stranger.status).toBe(303);
    expect(stranger.headers.get("Location")).toMatch(/\/login/);
  });

  it("takes anything odd in the URL as no filter at all", async () => {
    const res = await agent.get("/queue/export.csv?priority=Never&sort=sideways&tag=%3Cb%3E&cursor=zz&due=soon");
    expect(res.status).toBe(200);
    expect(linesOf(res.text).length).toBeGreaterThan(1);
  });
});

describe("a requester's export", () => {
  it("holds their own tickets only, without the desk's columns, filtered as their list is", async () => {
    const res = await requester.get("/tickets/export.csv");
    expect(res.status).toBe(200);
    const lines = linesOf(res.text);
    expect(lines[0]).toBe("Number,Subject,Status,Priority,Created (UTC),Updated");
    expect(lines).toHaveLength(3);
    expect(res.text).not.toContain("Omar");
    expect(res.text).not.toContain("Alex Agent");
    const searched = await requester.get("/tickets/export.csv?q=hello");
    expect(linesOf(searched.text)).toHaveLength(2);
    expect(searched.headers.get("Content-Disposition")).toContain("hyperdesk-tickets-q-hello-2026-12-07.csv");
    const page = await requester.get("/tickets?q=hello");
    expect(page.text).toContain('<a href="/tickets/export.csv?q=hello" download="" data-hx-boost="false">');
  });

  it("is in the person's language", async () => {
    await t.db.user.update({ where: { id: rita.id }, data: { language: "de" } });
    try {
      const res = await (await browserAs(t, rita)).get("/tickets/export.csv");
      expect(linesOf(res.text)[0]).toBe("Nummer,Betreff,Status,Priorität,Erstellt (UTC),Aktualisiert");
    } finally {
      await t.db.user.update({ where: { id: rita.id }, data: { language: null } });
    }
  });
});
