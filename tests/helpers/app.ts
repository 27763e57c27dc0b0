import bcrypt from "bcryptjs";
import { inject } from "vitest";
import { type App, createApp } from "../../src/app.js";
import { type Config, loadConfig } from "../../src/config.js";
import { createPrisma, type Db } from "../../src/db/prisma.js";
import { makeDeps } from "../../src/deps.js";
import type { CurrentUser, Deps } from "../../src/env.js";
import type { Role } from "../../src/users/authorization.js";
import { startSession } from "../../src/users/sessions.js";
import { freshDatabase } from "./databases.js";

export const PASSWORD = "correct horse battery staple";
export const SECRET = "test-secret-that-is-long-enough-for-hs256-0123456789";

/** A clock the test moves by hand. */
export class TestClock {
  constructor(public t = Date.parse("2026-11-25T09:00:00Z")) {}
  now = () => new Date(this.t);
  advance(ms: number) {
    this.t += ms;
  }
}

export type TestApp = {
  app: App;
  db: Db;
  deps: Deps;
  clock: TestClock;
  config: Config;
  logs: Record<string, unknown>[];
  close: () => Promise<void>;
};

/** The real app on a fresh migrated database of its own (SQLite file or PostgreSQL database). */
export async function testApp(env: Record<string, string> = {}): Promise<TestApp> {
  const database = await freshDatabase(inject("templateDatabase"));
  const config = loadConfig({
    NODE_ENV: "test",
    DATABASE_URL: database.url,
    AUTH_SECRET: SECRET,
    LOG_REQUESTS: "0",
    ...env,
  });
  const db = createPrisma(config.databaseUrl);
  const clock = new TestClock();
  const logs: Record<string, unknown>[] = [];
  const deps = makeDeps(config, db, { clock, log: (line) => logs.push(line) });
  return {
    app: createApp(deps),
    db,
    deps,
    clock,
    config,
    logs,
    close: async () => {
      await db.$disconnect();
      await database.drop();
    },
  };
}

let passwordHash: Promise<string> | undefined;
let counter = 0;

/** A user straight in the database, with PASSWORD (hashed once per test process, cost 12). */
export async function createUser(
  db: Db,
  fields: { role?: Role; name?: string; email?: string; disabled?: boolean } = {},
): Promise<CurrentUser> {
  passwordHash ??= bcrypt.hash(PASSWORD, 12);
  const n = ++counter;
  const user = await db.user.create({
    data: {
      email: fields.email ?? `user${n}-${Math.random().toString(36).slice(2, 8)}@example.com`,
      name: fields.name ?? `User ${n}`,
      role: fields.role ?? "requester",
      passwordHash: await passwordHash,
      disabledAt: fields.disabled ? new Date() : null,
      // An established account: its address has shown it is there (register flows make their own).
      emailConfirmedAt: new Date(),
    },
  });
  return { id: user.id, email: user.email, name: user.name, role: user.role as Role };
}

/**
 * An answer as a test reads it. `location` is the redirect's path on this desk (the header itself
 * is absolute: tests/routes/redirects.test.ts), or the whole URL when it leads elsewhere.
 */
export type Answer = { status: number; headers: Headers; text: string; location: string | null };
type Options = { htmx?: "partial" | "full" | false; headers?: Record<string, string>; target?: string };

/** A browser over app.request(): keeps cookies, finds the CSRF token in each page, never follows redirects. */
export class Browser {
  cookies = new Map<string, string>();
  csrf?: string;
  constructor(readonly t: TestApp) {}

  cookieHeader() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }

  async request(path: string, init: RequestInit & Options = {}): Promise<Answer> {
    const headers = new Headers(init.headers);
    if (this.cookies.size) headers.set("Cookie", this.cookieHeader());
    if (init.htmx) {
      headers.set("HX-Request", "true");
      headers.set("HX-Request-Type", init.htmx);
      if (init.target) headers.set("HX-Target", init.target);
    }
    const res = await this.t.app.request(path, { ...init, headers, redirect: "manual" });
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(";");
      const [name, ...rest] = pair!.split("=");
      const value = rest.join("=");
      if (/max-age=0|expires=thu, 01 jan 1970/i.test(line) || value === "") this.cookies.delete(name!.trim());
      else this.cookies.set(name!.trim(), value);
      if (name!.includes("session")) this.csrf = undefined;
    }
    const text = await res.text();
    const token = text.match(/name="_csrf" value="([^"]+)"/)?.[1];
    if (token) this.csrf = token;
    const location = res.headers.get("Location");
    const origin = this.t.config.publicUrl ?? "http://localhost";
    const onDesk = location?.startsWith(`${origin}/`) ? location.slice(origin.length) : location;
    return { status: res.status, headers: res.headers, text, location: onDesk };
  }

  get(path: string, options: Options = {}) {
    return this.request(path, { method: "GET", ...options });
  }

  /** Posts a form with this browser's CSRF token (fetching a page for it first if needed). */
  async post(
    path: string,
    form: Record<string, string | string[]> = {},
    options: Options & { csrf?: string | null } = {},
  ) {
    if (options.csrf === undefined && !this.csrf) await this.get(this.signedIn() ? "/account" : "/login");
    // A field given as a list is sent once per value, as checkboxes of one name are.
    const body = new URLSearchParams(
      Object.entries(form).flatMap(([k, v]) => (Array.isArray(v) ? v.map((x) => [k, x]) : [[k, v]])),
    );
    const csrf = options.csrf === undefined ? this.csrf : options.csrf;
    if (csrf !== null && csrf !== undefined && !("_csrf" in form)) body.set("_csrf", csrf);
    return this.request(path, {
      method: "POST",
      body: body.toString(),
      ...options,
      headers: { "Content-Type": "application/x-www-form-urlencoded", ...options.headers },
    });
  }

  /** Posts a multipart form, files and all, as a browser's file input sends it. */
  async postFiles(
    path: string,
    form: Record<string, string>,
    files: { name: string; bytes: Uint8Array | string; type?: string }[],
    options: Options = {},
  ) {
    if (!this.csrf) await this.get(this.signedIn() ? "/account" : "/login");
    const body = new FormData();
    for (const [k, v] of Object.entries(form)) body.append(k, v);
    if (!("_csrf" in form)) body.append("_csrf", this.csrf!);
    // A file input left empty still sends one part, nameless and empty, as a browser does.
    if (!files.length) body.append("files", new File([], "", { type: "application/octet-stream" }));
    for (const f of files)
      body.append("files", new File([f.bytes as BlobPart], f.name, { type: f.type ?? "application/octet-stream" }));
    return this.request(path, { method: "POST", body, ...options });
  }

  signedIn() {
    return this.cookies.has("hyperdesk_session") || this.cookies.has("__Host-hyperdesk_session");
  }
}

/** Sends the registration form from this browser: a fresh address unless `fields` says otherwise. */
export const register = (b: Browser, fields: Record<string, string>) =>
  b.post("/register", {
    name: "Ann",
    email: `ann${Math.random()}@example.com`,
    password: "a long kiosk passphrase",
    ...fields,
  });

/** A browser signed in as the user through a real server-side session (no bcrypt work). */
export async function browserAs(
  t: TestApp,
  user: CurrentUser,
  userAgent = "Mozilla/5.0 (X11; Linux x86_64) Chrome/156.0 Safari/537.36",
): Promise<Browser> {
  const b = new Browser(t);
  const { token } = await startSession(t.deps, user, { userAgent, address: "127.0.0.1" });
  b.cookies.set(`${t.config.secure ? "__Host-" : ""}hyperdesk_session`, token);
  return b;
}

const VOID = new Set([
  "area",
  "base",
  "br",
  "col",
  "embed",
  "hr",
  "img",
  "input",
  "link",
  "meta",
  "source",
  "track",
  "wbr",
]);

/**
 * The element with this id, from its start tag to its matching end tag (nested elements of the
 * same name counted), or "" when there is none: what a person reads in that part of the page.
 */
export function section(html: string, id: string): string {
  const at = html.indexOf(` id="${id}"`);
  if (at < 0) return "";
  const start = html.lastIndexOf("<", at);
  const name = html
    .slice(start + 1)
    .match(/^[a-zA-Z][a-zA-Z0-9-]*/)?.[0]
    ?.toLowerCase();
  if (!name) return "";
  const startEnd = html.indexOf(">", at) + 1;
  if (VOID.has(name)) return html.slice(start, startEnd);
  const tags = new RegExp(`<(/?)${name}(?=[\\s>/])`, "gi");
  tags.lastIndex = startEnd;
  let depth = 1;
  for (let m = tags.exec(html); m; m = tags.exec(html)) {
    depth += m[1] ? -1 : 1;
    if (depth === 0) return html.slice(start, html.indexOf(">", m.index) + 1);
  }
  throw new Error(`section: <${name} id="${id}"> is never closed`);
}

/** What a form field holds as the page shows it: an input's value, a textarea's text (entities as written). */
export function fieldValue(html: string, id: string): string | undefined {
  const element = section(html, id);
  if (element.startsWith("<textarea")) return element.replace(/^<textarea[^>]*>/, "").replace(/<\/textarea>$/, "");
  return element.match(/\svalue="([^"]*)"/)?.[1];
}
