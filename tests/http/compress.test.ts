import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chooseEncoding } from "../../src/http/compress.js";
import { browserAs, createUser, type TestApp, testApp } from "../helpers/app.js";

// The finished page compressed in one call: brotli or gzip as the browser accepts, never a small
// answer, never a file (no-transform), always Vary: Accept-Encoding.

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(() => t.close());

describe("choosing an encoding", () => {
  it.each([
    ["gzip, deflate, br, zstd", "br"],
    ["gzip, deflate", "gzip"],
    ["br;q=0, gzip", "gzip"],
    ["gzip;q=0", null],
    ["identity", null],
    ["*", "br"],
    ["*;q=0, gzip;q=0.5", "gzip"],
    [undefined, null],
  ])("%j -> %j", (accept, chosen) => {
    expect(chooseEncoding(accept)).toBe(chosen);
  });
});

describe("answers", () => {
  it("sends a page brotli or gzip compressed, with its length, and the same HTML inside", async () => {
    const b = await browserAs(t, await createUser(t.db));
    const plain = await t.app.request("/tickets", { headers: { Cookie: b.cookieHeader() } });
    const html = await plain.text();
    expect(plain.headers.get("Content-Encoding")).toBeNull();
    expect(plain.headers.get("Vary")).toContain("Accept-Encoding");
    for (const [accept, decode] of [
      ["gzip, br", brotliDecompressSync],
      ["gzip", gunzipSync],
    ] as const) {
      const res = await t.app.request("/tickets", { headers: { Cookie: b.cookieHeader(), "Accept-Encoding": accept } });
      const body = Buffer.from(await res.arrayBuffer());
      expect(res.headers.get("Content-Encoding")).toBe(accept === "gzip" ? "gzip" : "br");
      expect(Number(res.headers.get("Content-Length"))).toBe(body.length);
      expect(res.headers.get("Vary")).toContain("Accept-Encoding");
      const inside = decode(body).toString();
      // The same page but for its per-request nonce.
      expect(inside.replace(/nonce="[^"]+"/g, "")).toBe(html.replace(/nonce="[^"]+"/g, ""));
      expect(body.length).toBeLessThan(html.length / 2);
    }
  });

  it("leaves small answers, HEAD and redirects as they are", async () => {
    const small = await t.app.request("/no/such/page", {
      headers: { "Accept-Encoding": "br", "HX-Request": "true", "HX-Request-Type": "partial" },
    });
    expect(small.headers.get("Content-Encoding")).toBeNull();
    const redirect = await t.app.request("/tickets", { headers: { "Accept-Encoding": "br" } });
    expect(redirect.status).toBe(303);
    expect(redirect.headers.get("Content-Encoding")).toBeNull();
  });

  it("never compresses an attached file", async () => {
    const user = await createUser(t.db);
    const b = await browserAs(t, user);
    const made = await b.postFiles(
      "/tickets",
      { subject: "Manual", description: "The manual is attached.", priority: "Low" },
      [{ name: "big.txt", bytes: Buffer.alloc(4096, "a") }],
    );
    const id = made.location!.split("/").pop();
    const page = await b.get(`/tickets/${id}`);
    const file = page.text.match(/href="(\/tickets\/\d+\/files\/\d+)"/)![1]!;
    const res = await t.app.request(file, { headers: { Cookie: b.cookieHeader(), "Accept-Encoding": "br, gzip" } });
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Encoding")).toBeNull();
    expect((await res.arrayBuffer()).byteLength).toBe(4096);
  });
});
