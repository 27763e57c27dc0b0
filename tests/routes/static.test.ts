import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type TestApp, testApp } from "../helpers/app.js";

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(() => t.close());

describe("static files", () => {
  it("vendors exactly the htmx build of the installed htmx.org", () => {
    const pkg = JSON.parse(readFileSync("node_modules/htmx.org/package.json", "utf8"));
    expect(readFileSync(`static/htmx-${pkg.version}.min.js`)).toEqual(
      readFileSync("node_modules/htmx.org/dist/htmx.min.js"),
    );
  });

  it("serves hashed names gzipped and immutable, with 304 on revalidation", async () => {
    const url = t.deps.assets.url("app.css");
    expect(url).toMatch(/^\/static\/app\.[0-9a-f]{10}\.css$/);
    const res = await t.app.request(url, { headers: { "Accept-Encoding": "gzip" } });
    expect(res.status).toBe(200);
    expect(res.headers.get("Cache-Control")).toBe("public, max-age=31536000, immutable");
    expect(res.headers.get("Content-Encoding")).toBe("gzip");
    expect(gunzipSync(Buffer.from(await res.arrayBuffer())).toString()).toBe(readFileSync("static/app.css", "utf8"));
    const again = await t.app.request(url, { headers: { "If-None-Match": res.headers.get("ETag")! } });
    expect(again.status).toBe(304);
  });

  it("answers 404 for unknown and traversal paths", async () => {
    for (const path of [
      "/static/app.css",
      "/static/../package.json",
      "/static/%2e%2e/package.json",
      "/static/nope.js",
    ]) {
      expect((await t.app.request(path)).status, path).toBe(404);
    }
  });
});

describe("the icon", () => {
  it("is linked from every page and served, also at /favicon.ico for browsers that ask there", async () => {
    const html = await (await t.app.request("/login")).text();
    const href = html.match(/<link rel="icon" href="([^"]+)"/)![1]!;
    const linked = await t.app.request(href);
    expect(linked.status).toBe(200);
    expect(linked.headers.get("Content-Type")).toBe("image/x-icon");
    const root = await t.app.request("/favicon.ico");
    expect(root.status).toBe(200);
    expect(root.headers.get("Cache-Control")).toBe("public, max-age=86400");
    expect(Buffer.from(await root.arrayBuffer())).toEqual(readFileSync("static/favicon.ico"));
  });
});
