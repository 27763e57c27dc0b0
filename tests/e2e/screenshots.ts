// npm run screenshots: PNGs of the main pages for the README, from the app on the demo data.

import { mkdirSync } from "node:fs";
import type { Page } from "playwright-core";
import { startDemo } from "./demo.js";
import { signIn as fillSignIn, launchChromium } from "./harness.js";

const { url, db, close } = await startDemo();

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
// For agents: the queue's rows, due soonest first, with their due times and tags.
await agent.goto(`${url}/queue?status=active&sort=due`);
const rows = (await agent.locator("table.tickets").boundingBox())!;
await agent.screenshot({
  path: "docs/queue-due.png",
  fullPage: true,
  clip: { x: rows.x, y: rows.y, width: rows.width, height: Math.min(rows.height, 520) },
});
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
await close();
console.log(
  "written: docs/sign-in.png, docs/ticket-list.png, docs/ticket-page.png, docs/queue.png, docs/queue-due.png, docs/ticket-page-agent.png, docs/ticket-page-ar.png, docs/ticket-page-es.png",
);
