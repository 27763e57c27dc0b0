import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { type AddressInfo, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type ServerType, serve } from "@hono/node-server";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type TestApp, testApp } from "../helpers/app.js";

const require = createRequire(import.meta.url);
const AXE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
export const CHROMIUM = process.env.CHROMIUM_PATH || "/usr/bin/chromium";

export type Server = { url: string; t: TestApp; close: () => Promise<void> };

/** The real app over real HTTP on a free port, with a fresh database. */
export async function startServer(env: Record<string, string> = {}): Promise<Server> {
  const t = await testApp(env);
  // A real browser keeps cookies by the real time: the app's clock starts there too, or a session
  // cookie would expire in Chromium the moment the test clock's day is over.
  t.clock.t = Date.now();
  const server: ServerType = await new Promise((resolve) => {
    // A port chosen beforehand (env PORT) when the address must be known first (PUBLIC_URL for a provider's redirect).
    const s = serve({ fetch: t.app.fetch, port: Number(env.PORT ?? 0), hostname: "127.0.0.1" }, () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    t,
    close: async () => {
      await new Promise((r) => server.close(r));
      await t.close();
    },
  };
}

/** A port free right now on 127.0.0.1 (for a server whose address must be known before it starts). */
export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((r) => probe.listen(0, "127.0.0.1", r));
  const { port } = probe.address() as AddressInfo;
  await new Promise((r) => probe.close(r));
  return port;
}

/** For one test file: the app on a fresh database and one Chromium, both ready before its tests. */
export function chromiumSuite(env: Record<string, string> | (() => Promise<Record<string, string>>) = {}): {
  readonly server: Server;
  readonly browser: Browser;
} {
  const suite = {} as { server: Server; browser: Browser };
  beforeAll(async () => {
    suite.server = await startServer(typeof env === "function" ? await env() : env);
    suite.browser = await launchChromium();
  });
  afterAll(async () => {
    await suite.browser?.close();
    await suite.server?.close();
  });
  return suite;
}

/** Debian's Chromium, headless, with nothing that reaches for the network. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    timeout: 30_000,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

export type Mode = { name: "js-off" | "js-on"; javaScriptEnabled: boolean };
export const MODES: Mode[] = [
  { name: "js-off", javaScriptEnabled: false },
  { name: "js-on", javaScriptEnabled: true },
];

export type Violation = { page: string; id: string; impact?: string; help: string; nodes: string[] };

/** What a journey saw: every distinct page's server HTML (for the Nu checker) and axe's findings. */
export class Audit {
  readonly html = new Map<string, string>();
  readonly violations: Violation[] = [];
  /** Console errors and CSP violations, with the page they came from. */
  readonly consoleErrors: string[] = [];
  /** Pages axe looked at, so a run that checked nothing cannot pass. */
  axeRuns = 0;

  /** Records document responses of a page so each distinct page's HTML is checked once. */
  watch(page: Page) {
    page.on("console", (m) => {
      if (m.type() === "error") this.consoleErrors.push(`${page.url()}: ${m.text()}`);
    });
    page.on("pageerror", (e) => this.consoleErrors.push(`${page.url()}: ${e.message}`));
    page.on("response", async (res) => {
      const type = res.request().resourceType();
      const isDoc = type === "document" || (type === "fetch" && res.request().headers()["hx-request-type"] === "full");
      if (!isDoc || !(res.headers()["content-type"] ?? "").includes("text/html")) return;
      const body = await res.text().catch(() => "");
      if (!body.startsWith("<!DOCTYPE html>")) return;
      const key = `${new URL(res.url()).pathname.replace(/\/\d+(?=\/|$)/g, "/:id")} ${res.status()}`;
      if (!this.html.has(key)) this.html.set(key, body);
    });
  }

  /** axe-core with the WCAG 2.x A and AA rules, run in the page (the CSP does not apply to evaluate). */
  async axe(page: Page, label: string) {
    await page.evaluate(`${AXE};0`);
    const result = (await page.evaluate(
      `axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"] } })`,
    )) as {
      violations: { id: string; impact?: string; help: string; nodes: { target: string[] }[] }[];
    };
    this.axeRuns++;
    for (const v of result.violations)
      this.violations.push({
        page: label,
        id: v.id,
        impact: v.impact,
        help: v.help,
        nodes: v.nodes.map((n) => n.target.join(" ")),
      });
  }

  /** The Nu HTML Checker over every page seen, in one Java run; returns its error lines. */
  validate(): string[] {
    const dir = mkdtempSync(join(tmpdir(), "hyperdesk-vnu-"));
    const files: string[] = [];
    let i = 0;
    for (const [key, body] of this.html) {
      const file = join(dir, `${String(i++).padStart(3, "0")}-${key.replace(/[^a-z0-9]+/gi, "_")}.html`);
      writeFileSync(file, body);
      files.push(file);
    }
    if (files.length === 0) return [];
    try {
      execFileSync(
        "java",
        ["-jar", require.resolve("vnu-jar/build/dist/vnu.jar"), "--errors-only", "--format", "text", ...files],
        { stdio: ["ignore", "pipe", "pipe"], timeout: 120_000 },
      );
      return [];
    } catch (error) {
      const e = error as { stdout?: Buffer; stderr?: Buffer; message: string };
      const lines = `${e.stdout ?? ""}${e.stderr ?? ""}`.split("\n").filter(Boolean);
      return lines.length ? lines : [`the Nu HTML Checker did not run: ${e.message}`];
    }
  }
}

/** Runs a journey step; on failure keeps a screenshot of the page and says where it stopped. */
export async function step<T>(page: Page, label: string, fn: () => Promise<T>): Promise<T> {
  if (process.env.STEP_LOG) console.log("STEP", label);
  try {
    return await fn();
  } catch (error) {
    mkdirSync("tests/e2e/failures", { recursive: true });
    const file = `tests/e2e/failures/${Date.now()}-${label.replace(/[^a-z0-9]+/gi, "-")}.png`;
    await page.screenshot({ path: file, fullPage: true }).catch(() => {});
    throw new Error(`Step "${label}" failed at ${page.url()} (screenshot: ${file}): ${(error as Error).message}`);
  }
}

export async function newPage(
  browser: Browser,
  mode: Mode,
  audit: Audit,
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ javaScriptEnabled: mode.javaScriptEnabled });
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  audit.watch(page);
  return { context, page };
}

/** Waits until htmx has finished whatever request it is making (js-on), or the page has loaded (js-off). */
export async function settled(page: Page, mode: Mode) {
  if (mode.javaScriptEnabled)
    await page.waitForFunction(() => !document.querySelector(".htmx-request"), undefined, { timeout: 15_000 });
  await page.waitForLoadState("domcontentloaded");
}

/** The checks every browser test file ends with, over every page its journeys visited. */
export function describeAudit(audit: Audit, least: { axeRuns: number; pages: number }) {
  describe("every page visited", () => {
    it("logs no script error or CSP violation", () => {
      // 4xx answers that htmx swaps in (422 forms, 409 notices) are logged by Chromium as failed resources.
      const errors = audit.consoleErrors.filter(
        (e) => !/Failed to load resource: the server responded with a status of 4\d\d/.test(e),
      );
      expect(errors, errors.join("\n")).toEqual([]);
    });

    it("has no axe violations of WCAG 2.2 A and AA", () => {
      expect(audit.axeRuns).toBeGreaterThanOrEqual(least.axeRuns);
      expect(audit.violations, JSON.stringify(audit.violations, null, 2)).toEqual([]);
    });

    it("is valid HTML for the Nu HTML Checker", () => {
      expect(audit.html.size).toBeGreaterThanOrEqual(least.pages);
      const errors = audit.validate();
      expect(errors, errors.join("\n")).toEqual([]);
    });
  });
}

/** Fills the sign-in form of the page the browser is on and sends it. */
export async function signIn(page: Page, email: string, password: string) {
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
}
