import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { announceFirstAdminSetup } from "../../src/users/setup.js";
import { type Browser, browserAs, createUser, type TestApp, testApp } from "../helpers/app.js";

// Every route, as the one role that reaches them all, fed what browsers, bots and broken proxies
// really send: the answer is always a 4xx or a success, never a 500, and nothing saved is lost.

let t: TestApp;
let admin: Browser;
let ticketId: number;
let personId: number;
beforeAll(async () => {
  t = await testApp();
  const adminUser = await createUser(t.db, { role: "admin" });
  admin = await browserAs(t, adminUser);
  await admin.get("/account"); // this browser's CSRF token, so each body below reaches its handler
  const requester = await createUser(t.db);
  personId = requester.id;
  ticketId = (
    await t.db.ticket.create({
      data: {
        subject: "Keep me whole",
        description: "This ticket must survive every request below.",
        requesterId: requester.id,
      },
    })
  ).id;
  await t.db.reply.create({ data: { ticketId, authorId: requester.id, body: "A reply that must survive." } });
});
afterAll(() => t.close());

const posts = () => [
  "/tickets",
  `/tickets/${ticketId}/replies`,
  `/tickets/${ticketId}/close`,
  `/tickets/${ticketId}/reopen`,
  `/tickets/${ticketId}/assignee`,
  `/tickets/${ticketId}/triage`,
  "/account",
  "/account/password",
  "/account/mail",
  "/login/link",
  "/login/link/open",
  "/password/forgot",
  "/password/reset",
  `/admin/users/${personId}/role`,
  `/admin/users/${personId}/enable`,
  "/setup",
  "/register",
  "/admin/outbox/1/retry",
];

const FIELDS = [
  "subject",
  "description",
  "priority",
  "body",
  "note",
  "status",
  "assignee",
  "version",
  "set_status",
  "again",
  "confirm",
  "token",
  "email",
  "password",
  "on",
  "name",
  "current_password",
  "new_password",
  "role",
  "token",
  "email",
  "password",
  "form_token",
];

/** Form bodies that are legal HTTP but nonsense to us. */
const bodies: [string, () => string][] = [
  ["empty", () => ""],
  ["every field empty", () => FIELDS.map((f) => `${f}=`).join("&")],
  ["every field twice", () => FIELDS.map((f) => `${f}=a&${f}=b`).join("&")],
  ["array-style names", () => FIELDS.map((f) => `${f}[]=x&${f}[a]=y`).join("&")],
  ["NUL bytes and lone surrogates", () => FIELDS.map((f) => `${f}=%00%ED%A0%80x`).join("&")],
  ["broken percent escapes", () => FIELDS.map((f) => `${f}=%E0%A4%A&${f}%=x`).join("&")],
  [
    "huge numbers",
    () =>
      [
        "version=1e309",
        "assignee=99999999999999999999",
        "status=-1",
        "priority=NaN",
        "role=__proto__",
        "constructor=x",
      ].join("&"),
  ],
  // Each numeric field just past what a 32-bit column holds, beside fields that are otherwise valid,
  // so the handler gets as far as the database.
  [
    "numbers past 32 bits",
    () => "status=Waiting&priority=High&role=agent&assignee=2147483648&version=9007199254740991&form_token=x",
  ],
  ["a version past 32 bits", () => "status=Waiting&priority=High&assignee=&version=2147483648"],
  ["long values", () => FIELDS.map((f) => `${f}=${"x".repeat(3000)}`).join("&")],
];

describe("every route under bad input", () => {
  it("answers each nonsense form body with a clear 4xx or a success, never a 500", async () => {
    for (const path of posts()) {
      for (const [name, body] of bodies) {
        // A real browser's form: the token rides along, so the handler itself meets the nonsense.
        for (const htmx of [false, "partial"] as const) {
          const res = await admin.request(path, {
            method: "POST",
            body: `${body()}&_csrf=${encodeURIComponent(admin.csrf!)}`,
            htmx,
            headers: { "Content-Type": "application/x-www-form-urlencoded" },
          });
          expect(res.status, `${path} with ${name} (${htmx || "page"})`).toBeLessThan(500);
        }
      }
    }
  });

  it("answers bodies of the wrong kind with a 4xx or a success, never a 500", async () => {
    const kinds: [string, string][] = [
      ["application/json", '{"subject": "json", "_csrf": 1}'],
      [
        "multipart/form-data; boundary=x",
        '--x\r\nContent-Disposition: form-data; name="subject"; filename="a.txt"\r\n\r\nfile\r\n--x--\r\n',
      ],
      ["multipart/form-data", "no boundary at all"],
      ["text/plain", "subject=plain"],
      ["application/x-www-form-urlencoded; charset=utf-16", "subject=x"],
    ];
    for (const path of posts()) {
      for (const [type, body] of kinds) {
        const res = await admin.request(path, {
          method: "POST",
          body,
          headers: { "Content-Type": type, "X-CSRF-Token": admin.csrf! },
        });
        expect(res.status, `${path} as ${type}`).toBeLessThan(500);
      }
    }
  });

  it("answers odd paths and query strings with a page or a 404, never a 500", async () => {
    const token = await announceFirstAdminSetup(t.deps);
    const paths = [
      "/tickets/0",
      "/tickets/-1",
      "/tickets/1e3",
      "/tickets/99999999999999999999",
      "/tickets/2147483648",
      "/tickets/%00",
      "/tickets/new?priority=x",
      "/tickets?cursor=-1",
      "/tickets?cursor=1_",
      "/tickets?status=__proto__",
      "/tickets?q=%25%5F%5C",
      "/tickets?q=a%00b",
      "/tickets?q[]=a",
      "/queue?assignee=0",
      "/queue?assignee=99999999999",
      "/queue?sort=priority&cursor=3_",
      "/queue?sort=updated&cursor=99999999999999_1",
      "/queue?sort=updated&cursor=999999999999999_1",
      "/queue?sort=updated&cursor=1_2147483648",
      "/queue?sort=priority&cursor=3_2147483648",
      "/queue?assignee=2147483648",
      "/tickets?cursor=9999999999",
      "/tickets?cursor=2147483648",
      "/admin/users?after=2147483648",
      "/admin/users/2147483648",
      "/queue?requester=%25",
      "/queue?q=%00&requester=%00",
      "/admin/users?after=-5",
      "/admin/users?after=1e400",
      "/admin/users?q=%5C%25",
      "/admin/users?q=x%00",
      "/admin/users/0",
      "/admin/users/99999999999/disable",
      `/setup?token=${token}&token=x`,
      "/setup?token[]=x",
      "/login?next=%2F%2F%5Cevil",
      "/account/sessions",
      "/static/..%2f..%2fpackage.json",
    ];
    for (const path of paths) {
      const res = await admin.get(path);
      expect(res.status, path).toBeLessThan(500);
    }
  });

  it("lost nothing that was saved", async () => {
    const ticket = await t.db.ticket.findUniqueOrThrow({ where: { id: ticketId }, include: { replies: true } });
    expect(ticket.subject).toBe("Keep me whole");
    expect(ticket.description).toBe("This ticket must survive every request below.");
    expect(ticket.replies.map((r) => r.body)).toContain("A reply that must survive.");
    expect(t.logs.filter((l) => l.level === "error")).toEqual([]);
  });
});
