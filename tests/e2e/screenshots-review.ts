// npm run screenshots:review -- <suffix>: issue #25's items 1 and 10 on the demo data, as the
// people of the review meet them; PNGs in docs/ux-review/issue25-*-<suffix>.png. The script only
// drives the pages (no app imports beyond demo.ts), so the same file photographs an older checkout
// for the "before" pictures (see docs/ux-review/README.md).

import { mkdirSync } from "node:fs";
import { chromium, type Page } from "playwright-core";
import { DEMO_PASSWORD, startDemo } from "./demo.js";

const suffix = process.argv[2] ?? "now";
const { url, db, close } = await startDemo();
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium" });
mkdirSync("docs/ux-review", { recursive: true });
const shot = (page: Page, name: string) =>
  page.screenshot({ path: `docs/ux-review/issue25-${name}-${suffix}.png`, fullPage: true });

async function as(email: string, width: number) {
  const context = await browser.newContext({ viewport: { width, height: 900 }, locale: "en" });
  const page = await context.newPage();
  await page.goto(`${url}/login`);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await page.waitForURL((u) => u.pathname !== "/login");
  return { context, page };
}

const ticket = await db.ticket.findFirstOrThrow({
  where: { status: "Open", assigneeId: null, requester: { email: "requester@example.com" } },
  orderBy: { id: "desc" },
});
const path = `${url}/tickets/${ticket.id}`;

// The agent answers with "Send and set Waiting".
const agent = await as("agent@example.com", 1440);
await agent.page.goto(path);
await agent.page.locator("textarea[name=body]").fill("Could you restart it and tell us what the screen says?");
await agent.page.getByRole("button", { name: "Send and set Waiting" }).click();
await agent.page.waitForLoadState("networkidle");

// The requester, on a phone, sees who waits, and answers.
const requester = await as("requester@example.com", 360);
await requester.page.goto(path);
await shot(requester.page, "item10-requester-waiting-phone");
await requester.page.locator("textarea[name=body]").fill("Restarted: it says 'No signal' now.");
await requester.page.getByRole("button", { name: "Send reply" }).click();
await requester.page.waitForLoadState("networkidle");
// An empty form says what to do.
await requester.page.goto(`${url}/tickets/new`);
await requester.page.getByRole("button", { name: "Open ticket" }).click();
await requester.page.locator("#subject-error").waitFor();
await shot(requester.page, "item10-empty-form-phone");

// Item 1: where the answered ticket is now, for the agent: its page and the open work.
await agent.page.goto(path);
await shot(agent.page, "item1-agent-ticket-1440");
await agent.page.goto(`${url}/queue?status=active`);
await shot(agent.page, "item1-queue-active-1440");

// Item 10: disabling an account is styled as a warning, not as the primary action.
const admin = await as("admin@example.com", 1440);
const person = await db.user.findFirstOrThrow({ where: { email: "requester@example.com" } });
await admin.page.goto(`${url}/admin/users/${person.id}`);
await shot(admin.page, "item10-person-1440");

await browser.close();
await close();
