// npm run screenshots: PNGs of the main pages for the README, from the app on the demo data.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { serve } from "@hono/node-server";
import type { Page } from "playwright-core";
import { createApp } from "../../src/app.js";
import { loadConfig } from "../../src/config.js";
import { createPrisma } from "../../src/db/prisma.js";
import { makeDeps } from "../../src/deps.js";
import { signIn as fillSignIn, launchChromium } from "./harness.js";

const databaseUrl = `file:${join(mkdtempSync(join(tmpdir(), "hyperdesk-shots-")), "demo.db")}`;
const env = { ...process.env, DATABASE_URL: databaseUrl, PRISMA_PROVIDER: "", AUTH_SECRET: "s".repeat(44) };
execFileSync("npx", ["prisma", "migrate", "deploy"], { env, stdio: "ignore" });
execFileSync("npx", ["tsx", "prisma/seed.ts"], { env, stdio: "ignore" });
const config = loadConfig({ ...env, LOG_REQUESTS: "0", NODE_ENV: "test" });
const db = createPrisma(databaseUrl);
const server = serve({ fetch: createApp(makeDeps(config, db)).fetch, port: 0, hostname: "127.0.0.1" });
await new Promise((r) => server.once("listening", r));
const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

const browser = await launchChromium();
mkdirSync("docs", { recursive: true });
async function signIn(page: Page, email: string) {
  await page.goto(`${url}/login`);
  await fillSignIn(page, email, "hyperdesk demo password");
  // Requesters land on their tickets, agents on the queue.
  await page.waitForURL((u) => u.pathname !== "/login");
}
const shot = (page: Page, name: string) => page.screenshot({ path: `docs/${name}.png`, fullPage: false });

const requester = await (await browser.newContext({ viewport: { width: 1000, height: 720 } })).newPage();
await requester.goto(`${url}/login`);
await shot(requester, "sign-in");
await signIn(requester, "requester@example.com");
await shot(requester, "ticket-list");
const ticket = await db.ticket.findFirstOrThrow({
  where: { requester: { email: "requester@example.com" }, replies: { some: {} } },
  orderBy: { id: "desc" },
});
await requester.goto(`${url}/tickets/${ticket.id}`);
await shot(requester, "ticket-page");
const agent = await (await browser.newContext({ viewport: { width: 1000, height: 720 } })).newPage();
await signIn(agent, "agent@example.com");
await agent.goto(`${url}/queue?status=Open&sort=priority`);
await shot(agent, "queue");
await agent.goto(`${url}/tickets/${ticket.id}`);
await shot(agent, "ticket-page-agent");
// The requester's ticket page in Arabic (right to left) and Spanish, chosen with the language menu.
for (const lang of ["ar", "es"]) {
  await requester.goto(`${url}/tickets/${ticket.id}`);
  await requester.locator("#language-menu").selectOption(lang);
  await requester.locator(".language-menu button").click();
  await requester.waitForFunction((l) => document.documentElement.lang === l, lang);
  await shot(requester, `ticket-page-${lang}`);
}
await browser.close();
server.close();
await db.$disconnect();
console.log(
  "written: docs/sign-in.png, docs/ticket-list.png, docs/ticket-page.png, docs/queue.png, docs/ticket-page-agent.png, docs/ticket-page-ar.png, docs/ticket-page-es.png",
);
