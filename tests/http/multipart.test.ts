import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CurrentUser } from "../../src/env.js";
import { Browser, browserAs, createUser, type TestApp, testApp } from "../helpers/app.js";

// Many-part bodies (the review sent 100,000-340,000 parts, 6-20 MB) are refused having read only
// what is needed: nothing at all without a cookie a CSRF token could be bound to, and at most the
// parts of one real form otherwise; the body is a stream the test counts the reading of.

let t: TestApp;
let requester: CurrentUser;
beforeAll(async () => {
  t = await testApp({ GUEST_TICKETS: "true" });
  requester = await createUser(t.db, { name: "Rita Requester" });
});
afterAll(() => t.close());

const BOUNDARY = "----hyperdeskParts";
/** A multipart body of `parts` tiny fields (after an optional first `_csrf`), made as it is read, 16 KB a pull. */
function manyParts(parts: number, csrf?: string) {
  const part = (name: string, value: string) =>
    `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
  const head = csrf ? part("_csrf", csrf) : "";
  const chunkParts = Math.floor(16_384 / part("f99999", "x").length);
  let made = 0;
  let first = true;
  const read = { chunks: 0 };
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      read.chunks++;
      if (made >= parts) {
        controller.enqueue(new TextEncoder().encode(`--${BOUNDARY}--\r\n`));
        controller.close();
        return;
      }
      let text = first ? head : "";
      first = false;
      for (let i = 0; i < chunkParts && made < parts; i++, made++) text += part(`f${made}`, "x");
      controller.enqueue(new TextEncoder().encode(text));
    },
  });
  return { body, read, chunksInAll: Math.ceil(parts / chunkParts) + 1 };
}

const post = (b: Browser, path: string, body: ReadableStream, headers: Record<string, string> = {}) =>
  t.app.request(path, {
    method: "POST",
    body,
    duplex: "half",
    headers: { "Content-Type": `multipart/form-data; boundary=${BOUNDARY}`, Cookie: b.cookieHeader(), ...headers },
  } as RequestInit);

describe("many-part bodies", () => {
  it("from a browser with no cookie a token could belong to: refused before a byte of the body is read", async () => {
    const sent = manyParts(100_000);
    const res = await post(new Browser(t), "/guest", sent.body);
    expect(res.status).toBe(403);
    // What the streams between fetch a moment ahead (their buffers of one), and nothing more.
    expect(sent.read.chunks).toBeLessThanOrEqual(2);
  });

  it("with the form's cookie: read only up to the first part past any form of ours, then 413 and the connection closed", async () => {
    const kiosk = new Browser(t);
    await kiosk.get("/guest");
    const sent = manyParts(100_000, kiosk.csrf);
    const res = await post(kiosk, "/guest", sent.body);
    expect(res.status).toBe(413);
    expect(res.headers.get("Connection")).toBe("close");
    expect(await res.text()).toContain("more parts than any form of this desk");
    // Of about 400 chunks, a few were read.
    expect(sent.chunksInAll).toBeGreaterThan(300);
    expect(sent.read.chunks).toBeLessThan(5);
  });

  it("signed in, with htmx's header token (no body needed for the check): the handler's read stops the same way", async () => {
    const b = await browserAs(t, requester);
    await b.get("/tickets/new");
    const sent = manyParts(100_000);
    const res = await post(b, "/tickets", sent.body, {
      "X-CSRF-Token": b.csrf!,
      "HX-Request": "true",
      "HX-Request-Type": "partial",
    });
    expect(res.status).toBe(413);
    expect(sent.read.chunks).toBeLessThan(5);
    expect(await t.db.ticket.count()).toBe(0);
  });

  it("a body that says multipart and is not: 400, never a 500", async () => {
    const b = await browserAs(t, requester);
    await b.get("/tickets/new");
    const res = await t.app.request("/tickets", {
      method: "POST",
      body: "not multipart at all",
      headers: { "Content-Type": "multipart/form-data", Cookie: b.cookieHeader(), "X-CSRF-Token": b.csrf! },
    });
    expect(res.status).toBe(400);
  });
});

describe("an ended guest view keeping what was typed", () => {
  it("reads the form within the body limit like everyone else (413 past it, nothing kept)", async () => {
    const kiosk = new Browser(t);
    const form = await kiosk.get("/guest");
    const stamp = form.text.match(/name="stamp" value="([^"]+)"/)![1]!;
    t.clock.advance(5_000);
    const opened = await kiosk.postFiles(
      "/guest",
      { subject: "Big body", description: "A guest whose view will end.", stamp, website: "" },
      [],
    );
    const receipt = await kiosk.get(opened.location!);
    const id = Number(receipt.text.match(/<dd class="big">#(\d+)<\/dd>/)![1]);
    t.clock.advance(t.config.sessionIdleMs + 1);
    // A body with no Content-Length, far past BODY_LIMIT_KB, made as it is read.
    let made = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        made++;
        if (made > 200) return controller.close();
        controller.enqueue(new TextEncoder().encode(made === 1 ? "body=" : "x".repeat(16_384)));
      },
    });
    const res = await t.app.request(`/tickets/${id}/replies`, {
      method: "POST",
      body,
      duplex: "half",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Cookie: kiosk.cookieHeader() },
    } as RequestInit);
    expect(res.status).toBe(413);
    expect(made).toBeLessThan(20);
    expect(await t.db.draft.count()).toBe(0);
  });
});
