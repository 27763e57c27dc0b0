import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createToken, type Scope } from "../../src/api/tokens.js";
import type { CurrentUser } from "../../src/env.js";
import { createUser, type TestApp, testApp } from "../helpers/app.js";
import { PNG } from "../helpers/files.js";

// The API's authorization matrix (#29): every endpoint, for each role (requester, agent, admin),
// each token scope, and the caller's own ticket or another's; the status each combination gets.
// The rules: a scope the route needs and the token lacks is 403 before anything else; a requester
// sees only their own tickets (another's is 404, as if it were not there), triage is for staff
// (403), people are for an admin's token with the admin scope (403 otherwise).

type Role = "requester" | "agent" | "admin";
type Case = { method: string; path: (own: number) => string; body?: unknown; needs: Scope; ok: number };

let t: TestApp;
const people: Record<Role, CurrentUser> = {} as never;
let other: CurrentUser;

const ENDPOINTS: Record<string, Case> = {
  "GET /me": { method: "GET", path: () => "/me", needs: "tickets:read", ok: 200 },
  "GET /tickets": { method: "GET", path: () => "/tickets", needs: "tickets:read", ok: 200 },
  "GET /tickets/{id}": { method: "GET", path: (id) => `/tickets/${id}`, needs: "tickets:read", ok: 200 },
  "GET /tickets/{id}/events": { method: "GET", path: (id) => `/tickets/${id}/events`, needs: "tickets:read", ok: 200 },
  "GET /tickets/{id}/files/{file}": {
    method: "GET",
    path: (id) => `/tickets/${id}/files/FILE`,
    needs: "tickets:read",
    ok: 200,
  },
  "POST /tickets": {
    method: "POST",
    path: () => "/tickets",
    body: { subject: "Matrix ticket", description: "Opened by the matrix." },
    needs: "tickets:write",
    ok: 201,
  },
  "POST /tickets/{id}/messages": {
    method: "POST",
    path: (id) => `/tickets/${id}/messages`,
    body: { body: "A reply from the matrix" },
    needs: "tickets:write",
    ok: 201,
  },
  "PATCH /tickets/{id}": {
    method: "PATCH",
    path: (id) => `/tickets/${id}`,
    body: { priority: "High", tags: ["matrix"] },
    needs: "tickets:write",
    ok: 200,
  },
  "POST /tickets/{id}/close": { method: "POST", path: (id) => `/tickets/${id}/close`, needs: "tickets:write", ok: 200 },
  "POST /tickets/{id}/reopen": {
    method: "POST",
    path: (id) => `/tickets/${id}/reopen`,
    needs: "tickets:write",
    ok: 200,
  },
  "GET /people": { method: "GET", path: () => "/people", needs: "admin", ok: 200 },
  "POST /people": {
    method: "POST",
    path: () => "/people",
    body: { name: "Matrix Person", email: "EMAIL", role: "agent" },
    needs: "admin",
    ok: 201,
  },
  "PATCH /people/{id}": {
    method: "PATCH",
    path: () => "/people/OTHER",
    body: { role: "agent" },
    needs: "admin",
    ok: 200,
  },
};

/** What a role with these scopes gets on the endpoint, for its own ticket or another's. */
function expected(name: string, role: Role, scopes: Scope[], own: boolean): number {
  const e = ENDPOINTS[name]!;
  // /me answers any token (it says who the token is).
  if (name === "GET /me") return 200;
  if (!scopes.includes(e.needs)) return 403;
  if (e.needs === "admin") return role === "admin" ? e.ok : 403;
  const onTicket = e.path(1).startsWith("/tickets/");
  // Triage is for staff, whoever's ticket it is (403 before the ticket is looked up).
  if (role === "requester" && name === "PATCH /tickets/{id}") return 403;
  if (role === "requester" && onTicket && !own) return 404;
  return e.ok;
}

const SCOPE_SETS: Scope[][] = [["tickets:read"], ["tickets:write"], ["tickets:read", "tickets:write"], ["admin"]];
let n = 0;

beforeAll(async () => {
  t = await testApp();
  for (const role of ["requester", "agent", "admin"] as const)
    people[role] = await createUser(t.db, { role, name: `M ${role}` });
  other = await createUser(t.db, { name: "M other" });
});
afterAll(() => t.close());

describe("the API's authorization matrix", () => {
  // Only admins may hold the admin scope (createToken refuses it to others: api.test.ts).
  for (const role of ["requester", "agent", "admin"] as const)
    for (const scopes of SCOPE_SETS.filter((set) => role === "admin" || !set.includes("admin")))
      for (const own of [true, false])
        it(`${role} with ${scopes.join("+")} on ${own ? "their own" : "another's"} ticket`, async () => {
          const made = await createToken(t.deps, people[role], { name: `m${n++}`, scopes, expiresInDays: 30 });
          if (typeof made !== "object") throw new Error(made);
          const got: Record<string, number> = {};
          const want: Record<string, number> = {};
          for (const [name, e] of Object.entries(ENDPOINTS)) {
            // A fresh pair of tickets each time: the requester's own (staff: any) and someone else's.
            const mine = await t.db.ticket.create({
              data: { subject: "Mine", description: "Of the matrix.", requesterId: people.requester.id },
            });
            const theirs = await t.db.ticket.create({
              data: { subject: "Theirs", description: "Of the matrix.", requesterId: other.id },
            });
            const target = own ? mine : theirs;
            if (name.endsWith("/reopen"))
              await t.db.ticket.update({ where: { id: target.id }, data: { status: "Closed", closedAt: new Date() } });
            const file = await t.db.attachment.create({
              data: {
                ticketId: target.id,
                replyId: null,
                name: "p.png",
                type: "image/png",
                size: PNG.length,
                contentHash: "h".repeat(64),
              },
            });
            await t.db.fileContent.upsert({
              where: { hash: "h".repeat(64) },
              create: { hash: "h".repeat(64), size: PNG.length, bytes: PNG },
              update: {},
            });
            const path = e
              .path(target.id)
              .replace("FILE", String(file.id))
              .replace("OTHER", String((await createUser(t.db, { role: "requester" })).id));
            const body = e.body ? JSON.stringify(e.body).replace("EMAIL", `m${n++}@example.org`) : undefined;
            const res = await t.app.request(`/api/v1${path}`, {
              method: e.method,
              headers: {
                Authorization: `Bearer ${made.token}`,
                ...(body ? { "Content-Type": "application/json" } : {}),
              },
              body,
            });
            got[name] = res.status;
            want[name] = expected(name, role, scopes, own);
          }
          expect(got).toEqual(want);
        });
});
