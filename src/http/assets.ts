import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { extname, join } from "node:path";
import { gzipSync } from "node:zlib";

const TYPES: Record<string, string> = {
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".svg": "image/svg+xml",
  ".ico": "image/x-icon",
  ".png": "image/png",
};

export type Asset = { body: Buffer; gzip: Buffer; type: string; etag: string };

/**
 * The files of static/, read once at start. Each is served under a name that carries its content
 * hash (app.3f2a1b9c.css), so browsers may keep it forever and a change reaches them at once.
 */
export class Assets {
  readonly byPath = new Map<string, Asset>();
  readonly #urls = new Map<string, string>();

  constructor(dir: string) {
    for (const name of readdirSync(dir)) {
      const body = readFileSync(join(dir, name));
      const hash = createHash("sha256").update(body).digest("hex").slice(0, 10);
      const ext = extname(name);
      const url = `/static/${name.slice(0, -ext.length)}.${hash}${ext}`;
      this.#urls.set(name, url);
      this.byPath.set(url, {
        body,
        gzip: gzipSync(body, { level: 9 }),
        type: TYPES[ext] ?? "application/octet-stream",
        etag: `"${hash}"`,
      });
    }
  }

  url(name: string): string {
    const url = this.#urls.get(name);
    if (!url) throw new Error(`static/${name} does not exist`);
    return url;
  }
}
