import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CurrentUser } from "../../src/env.js";
import { browserAs, createUser, type TestApp, testApp } from "../helpers/app.js";

// Location headers are absolute: Lynx waits seconds on a relative one ("Location URL is not absolute").

let local: TestApp, proxied: TestApp;
let requester: CurrentUser;
beforeAll(async () => {
  [local, proxied] = await Promise.all([testApp(), testApp({ PUBLIC_URL: "https://help.example.org" })]);
  requester = await createUser(proxied.db, { name: "Rita Requester" });
});
afterAll(() => Promise.all([local.close(), proxied.close()]));

describe("redirects", () => {
  it("name the address the request came to when PUBLIC_URL is not set", async () => {
    const res = await local.app.request("http://127.0.0.1:3000/tickets", { redirect: "manual" });
    expect(res.status).toBe(303);
    expect(res.headers.get("Location")).toBe("http://127.0.0.1:3000/login?next=%2Ftickets");
  });

  it("name PUBLIC_URL when it is set (behind a TLS proxy the request came in as http), after a form post too", async () => {
    const res = await proxied.app.request("http://internal:3000/tickets", { redirect: "manual" });
    expect(res.headers.get("Location")).toBe("https://help.example.org/login?next=%2Ftickets");
    const b = await browserAs(proxied, requester);
    const posted = await b.request("/tickets", {
      method: "POST",
      redirect: "manual",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: "https://help.example.org" },
      body: new URLSearchParams({
        subject: "Absolute",
        description: "A redirect Lynx follows at once.",
        _csrf: (await b.get("/tickets/new")).text.match(/name="_csrf" value="([^"]+)"/)![1]!,
      }).toString(),
    });
    expect(posted.status).toBe(303);
    expect(posted.headers.get("Location")).toMatch(/^https:\/\/help\.example\.org\/tickets\/\d+$/);
  });

  it("leave a partial htmx answer's HX-Location as a path", async () => {
    const res = await local.app.request("/tickets", {
      headers: { "HX-Request": "true", "HX-Request-Type": "partial" },
    });
    expect(res.headers.get("Location")).toBeNull();
    expect(res.headers.get("HX-Redirect") ?? res.headers.get("HX-Location")).toMatch(/^\/login/);
  });
});
