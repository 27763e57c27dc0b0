// npm run screenshots:narrow -- <suffix>: the lists and the header at 360 px (a phone) and 1440 px,
// as a requester, an agent and an admin, in English and Arabic, on the demo data; PNGs in
// docs/ux-review/item9-*-<suffix>.png (the UX review's item 9: words broken mid-word).

import { mkdirSync } from "node:fs";
import { startDemo } from "./demo.js";
import { launchChromium, signIn } from "./harness.js";

const suffix = process.argv[2] ?? "now";
const { url, close } = await startDemo();
const browser = await launchChromium();
mkdirSync("docs/ux-review", { recursive: true });

for (const [who, email, path] of [
  ["requester", "requester@example.com", "/tickets"],
  ["agent", "agent@example.com", "/queue"],
  ["admin", "admin@example.com", "/queue"],
] as const)
  for (const [lang, width] of [
    ["en", 360],
    ["en", 1440],
    // Last: choosing a language from the menu keeps it as the person's own.
    ["ar", 360],
  ] as const) {
    if (who !== "admin" && width === 1440) continue;
    const context = await browser.newContext({ viewport: { width, height: 800 }, locale: "en" });
    const page = await context.newPage();
    // Signed in in English (the form's labels), then the language menu.
    await page.goto(`${url}/login`);
    await signIn(page, email, "hyperdesk demo password");
    await page.waitForURL((u) => u.pathname !== "/login");
    await page.goto(`${url}${path}`);
    if (lang !== "en") {
      // The language menu, as a person changes it.
      await page.getByLabel("Language").selectOption(lang);
      await page.getByRole("button", { name: "Change", exact: true }).click();
      await page.waitForFunction((l) => document.documentElement.lang === l, lang);
    }
    // The top of the page and its list: the first 1,600 px.
    await page.screenshot({
      path: `docs/ux-review/item9-${who}-${lang}-${width}-${suffix}.png`,
      clip: { x: 0, y: 0, width, height: 1600 },
      fullPage: true,
    });
    await context.close();
  }
await browser.close();
await close();
