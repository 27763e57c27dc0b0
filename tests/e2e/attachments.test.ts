import { describe, expect, it } from "vitest";
import { createUser, PASSWORD } from "../helpers/app.js";
import { EXE, PDF, PNG } from "../helpers/files.js";
import { Audit, chromiumSuite, describeAudit, MODES, newPage, settled, signIn, step } from "./harness.js";

// Files in a real browser, JavaScript off and on: a requester attaches a photo to a new ticket
// (the plain multipart form, or htmx posting the same form), opens it (inline, sandboxed), is told
// plainly when a file is refused (the text kept), and never sees the files of an agent's note.

const audit = new Audit();
const suite = chromiumSuite();

const png = { name: "jam photo.png", mimeType: "image/png", buffer: PNG };

describe.each(MODES)("attachments with JavaScript $name", (mode) => {
  const js = mode.javaScriptEnabled;

  it("attach, open, refuse with the text kept, and keep a note's files from the requester", async () => {
    const { db } = suite.server.t;
    const requester = await createUser(db, { name: `Rae ${mode.name}` });
    const agent = await createUser(db, { role: "agent", name: `Ash ${mode.name}` });
    const { context, page } = await newPage(suite.browser, mode, audit);
    let id = 0;
    await step(page, "open a ticket with a photo", async () => {
      await page.goto(`${suite.server.url}/login?next=/tickets/new`);
      await signIn(page, requester.email, PASSWORD);
      await page.getByLabel("Subject").fill(`Paper jam ${mode.name}`);
      await page.getByLabel("Description").fill("Tray 2 jams on every page; photo attached.");
      await page.getByLabel("Attach files").setInputFiles([png]);
      await page.getByRole("button", { name: "Open ticket" }).click();
      await page.getByRole("heading", { name: new RegExp(`Paper jam ${mode.name}`) }).waitFor();
      id = Number(new URL(page.url()).pathname.split("/").at(-1));
      const link = page.getByRole("link", { name: "jam photo.png" });
      await link.waitFor();
      expect(await page.locator(".files").first().textContent()).toContain("jam photo.png (PNG image, 69 bytes)");
      // Listed, not loaded: no image of it in the page.
      expect(await page.locator("img").count()).toBe(0);
      if (js) await audit.axe(page, "ticket with a file");
    });
    await step(page, "open the photo: a plain navigation, shown inline, sandboxed", async () => {
      const [response] = await Promise.all([
        page.waitForResponse((r) => r.url().includes(`/tickets/${id}/files/`)),
        page.getByRole("link", { name: "jam photo.png" }).click(),
      ]);
      expect(response.request().headers()["hx-request"]).toBeUndefined();
      expect(response.headers()["content-security-policy"]).toBe(
        "sandbox; default-src 'none'; style-src 'unsafe-inline'",
      );
      await page.waitForURL(/\/files\/\d+$/);
      const width = await page.locator("img").evaluate((img: HTMLImageElement) => img.naturalWidth);
      expect(width).toBe(1);
      await page.goBack();
      await page.getByRole("heading", { name: new RegExp(`Paper jam ${mode.name}`) }).waitFor();
    });
    await step(page, "a program named .pdf is refused next to the file field; the reply's text stays", async () => {
      await page.getByLabel("Your reply").fill("Here is the invoice too.");
      await page
        .getByLabel("Attach files")
        .setInputFiles([{ name: "invoice.pdf", mimeType: "application/pdf", buffer: EXE }]);
      await page.getByRole("button", { name: "Send reply" }).click();
      await page.locator("#files-error").waitFor();
      await settled(page, mode);
      expect(await page.locator("#files-error").textContent()).toContain(
        "“invoice.pdf” is a file of a type this desk does not take",
      );
      expect(await page.getByLabel("Your reply").inputValue()).toBe("Here is the invoice too.");
      expect(await db.reply.count({ where: { ticketId: id } })).toBe(0);
      if (js) await audit.axe(page, "reply refused for its file");
    });
    await step(page, "the right file is sent with the reply", async () => {
      await page
        .getByLabel("Attach files")
        .setInputFiles([{ name: "invoice.pdf", mimeType: "application/pdf", buffer: PDF }]);
      await page.getByRole("button", { name: "Send reply" }).click();
      await page.getByRole("link", { name: "invoice.pdf" }).waitFor();
      await settled(page, mode);
      const download = page.waitForEvent("download");
      await page.getByRole("link", { name: "invoice.pdf" }).click();
      expect((await download).suggestedFilename()).toBe("invoice.pdf");
    });
    if (js) {
      await step(page, "a file over the size limit is named at once, and not kept to be sent", async () => {
        const huge = Buffer.alloc(suite.server.t.config.attachments.maxFileBytes + 1);
        await page
          .getByLabel("Attach files")
          .setInputFiles([{ name: "video.png", mimeType: "image/png", buffer: huge }]);
        // One byte over: said in bytes, so the two sizes differ.
        await page
          .getByText(
            "“video.png” is 10,485,761 bytes: each file can be at most 10,485,760 bytes. Choose a smaller one.",
          )
          .waitFor();
        expect(await page.getByLabel("Attach files").evaluate((i: HTMLInputElement) => i.files?.length ?? 0)).toBe(0);
        // Sent anyway, the form says so first and sends nothing; sent again, it goes without the file.
        const replies = await db.reply.count({ where: { ticketId: id } });
        await page.getByLabel("Your reply").fill("The video of the noise.");
        await page.getByRole("button", { name: "Send reply" }).click();
        await page.locator("#files-check:focus", { hasText: "Not sent yet." }).waitFor();
        expect(await page.locator("#files-check").textContent()).toContain(
          "It is not attached: send again to go on without it, or choose another file.",
        );
        expect(await db.reply.count({ where: { ticketId: id } })).toBe(replies);
        if (js) await audit.axe(page, "a refused file, said when sent");
        await page.getByRole("button", { name: "Send reply" }).click();
        await page.getByText("The video of the noise.").waitFor();
        await settled(page, mode);
        expect(await db.reply.count({ where: { ticketId: id } })).toBe(replies + 1);
        await page
          .getByLabel("Attach files")
          .setInputFiles([{ name: "video.png", mimeType: "image/png", buffer: huge }]);
        // A right-sized choice clears the message.
        await page.getByLabel("Attach files").setInputFiles([{ ...png, name: "small.png" }]);
        expect(await page.locator("#files-check").count()).toBe(0);
        await page.getByLabel("Attach files").setInputFiles([]);
      });
      await step(
        page,
        "a text error keeps the chosen file (htmx hx-preserve); fixing the text sends both",
        async () => {
          await page.getByLabel("Your reply").fill("");
          await page.getByLabel("Attach files").setInputFiles([{ ...png, name: "second.png" }]);
          await page.getByRole("button", { name: "Send reply" }).click();
          await page.locator("#body-error").waitFor();
          await settled(page, mode);
          expect(await page.getByLabel("Attach files").evaluate((i: HTMLInputElement) => i.files?.[0]?.name)).toBe(
            "second.png",
          );
          await page.getByLabel("Your reply").fill("And a second photo.");
          await page.getByRole("button", { name: "Send reply" }).click();
          await page.getByRole("link", { name: "second.png" }).waitFor();
          await settled(page, mode);
          // The fresh form has no file chosen: the next reply does not send it again.
          expect(await page.getByLabel("Attach files").evaluate((i: HTMLInputElement) => i.files?.length ?? 0)).toBe(0);
        },
      );
    }
    await context.close();

    const staff = await newPage(suite.browser, mode, audit);
    await step(staff.page, "an agent adds an internal note with a file", async () => {
      await staff.page.goto(`${suite.server.url}/login?next=/tickets/${id}`);
      await signIn(staff.page, agent.email, PASSWORD);
      await staff.page.getByLabel("Internal note (agents only)").check();
      await staff.page.getByLabel("Your message").fill("Vendor's reply attached.");
      await staff.page.getByLabel("Attach files").setInputFiles([{ ...png, name: "vendor-quote.png" }]);
      await staff.page.getByRole("button", { name: "Add note" }).click();
      await staff.page.getByRole("link", { name: "vendor-quote.png" }).waitFor();
      await settled(staff.page, mode);
      if (js) await audit.axe(staff.page, "agent's ticket page with files");
    });
    const noteFile = await db.attachment.findFirstOrThrow({ where: { ticketId: id, name: "vendor-quote.png" } });
    await staff.context.close();

    const again = await newPage(suite.browser, mode, audit);
    await step(again.page, "the requester sees the reply's file, not the note's, and its URL is 404", async () => {
      await again.page.goto(`${suite.server.url}/login?next=/tickets/${id}`);
      await signIn(again.page, requester.email, PASSWORD);
      await again.page.getByRole("link", { name: "invoice.pdf" }).waitFor();
      expect(await again.page.getByText("vendor-quote.png").count()).toBe(0);
      const res = await again.page.goto(`${suite.server.url}/tickets/${id}/files/${noteFile.id}`);
      expect(res?.status()).toBe(404);
    });
    await again.context.close();
  });
});

describeAudit(audit, { axeRuns: 3, pages: 3 });
