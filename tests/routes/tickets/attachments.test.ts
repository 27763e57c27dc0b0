import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cleanName, contentDisposition } from "../../../src/attachments/names.js";
import type { CurrentUser } from "../../../src/env.js";
import { type Browser, browserAs, createUser, section, type TestApp, testApp } from "../../helpers/app.js";
import { DOCX, EXE, GIF, HTML, JPEG, PDF, PNG, POLYGLOT, SVG, TEXT, ZIP } from "../../helpers/files.js";

// Small limits, so each boundary is a few KB: 2 files, 2 KB each, 3 KB in all.
let t: TestApp;
let ann: CurrentUser;
let bob: CurrentUser;
let alex: CurrentUser;
let a: Browser;
let b: Browser;
let agent: Browser;
let anon: Browser;
beforeAll(async () => {
  t = await testApp({ ATTACHMENT_MAX_FILES: "2", ATTACHMENT_MAX_FILE_KB: "2", ATTACHMENT_MAX_MESSAGE_KB: "3" });
  ann = await createUser(t.db, { name: "Ann" });
  bob = await createUser(t.db, { name: "Bob" });
  alex = await createUser(t.db, { name: "Alex", role: "agent" });
  a = await browserAs(t, ann);
  b = await browserAs(t, bob);
  agent = await browserAs(t, alex);
  const { Browser } = await import("../../helpers/app.js");
  anon = new Browser(t);
});
afterAll(() => t.close());

let n = 0;
const ticketFields = () => ({
  subject: `Broken thing ${++n}`,
  description: "It broke this morning, photo attached.",
  priority: "Medium",
});
const main = (html: string) => html.slice(html.indexOf("<main"), html.indexOf("</main>"));
const bytes = (size: number) => Buffer.alloc(size, "a");
const fileIds = (html: string) => [...html.matchAll(/href="\/tickets\/\d+\/files\/(\d+)"/g)].map((m) => Number(m[1]));

async function openWith(browser: Browser, files: Parameters<Browser["postFiles"]>[2]) {
  const res = await browser.postFiles("/tickets", ticketFields(), files);
  expect(res.status, res.text.slice(0, 2000)).toBe(303);
  const id = Number(res.location!.split("/").pop());
  return { id, page: await browser.get(`/tickets/${id}`) };
}

describe("attaching files to a new ticket", () => {
  it("offers a plain multipart file input with its limits and the kinds taken", async () => {
    const form = await a.get("/tickets/new");
    expect(form.text).toContain('enctype="multipart/form-data"');
    expect(form.text).toMatch(/<input[^>]*id="files"[^>]*type="file"[^>]*multiple/);
    expect(section(form.text, "files-hint")).toContain(
      "Up to 2 files of 2 KB each, 3 KB in all: images, PDF documents, plain text, office documents or ZIP archives.",
    );
  });

  it("saves the ticket with its files, typed by their bytes, and lists them by name, type and size", async () => {
    const { id, page } = await openWith(a, [
      { name: "jam.png", bytes: PNG, type: "image/png" },
      { name: "manual.pdf", bytes: PDF, type: "application/pdf" },
    ]);
    const rows = await t.db.attachment.findMany({ where: { ticketId: id }, orderBy: { id: "asc" } });
    expect(rows.map((r) => [r.name, r.type, r.size, r.replyId])).toEqual([
      ["jam.png", "image/png", PNG.length, null],
      ["manual.pdf", "application/pdf", PDF.length, null],
    ]);
    expect(page.text).toContain('jam.png</bdi></a> <span class="meta">(PNG image, 69 bytes)</span>');
    expect(page.text).toContain("(PDF document, ");
    // The image is a link, never loaded into the page.
    expect(page.text).not.toMatch(/<img[^>]*files/);
  });

  it("takes a form with the file input left empty (no files) as a ticket without files", async () => {
    const { id } = await openWith(a, []);
    expect(await t.db.attachment.count({ where: { ticketId: id } })).toBe(0);
  });

  it("types a file by its content: a PNG named .pdf is a PNG", async () => {
    const { id } = await openWith(a, [{ name: "scan.pdf", bytes: PNG, type: "application/pdf" }]);
    expect((await t.db.attachment.findFirstOrThrow({ where: { ticketId: id } })).type).toBe("image/png");
  });

  it.each([
    ["a program named .pdf", "invoice.pdf", EXE, "a type this desk does not take (Windows program)"],
    ["an SVG with a script, named .png", "cat.png", SVG, "holds a web page or script"],
    ["an HTML page named .txt", "notes.txt", HTML, "holds a web page or script"],
    ["a GIF that is also a page (polyglot)", "smile.gif", POLYGLOT, "holds a web page or script"],
    ["an empty file", "empty.txt", Buffer.alloc(0), "is empty"],
    ["binary junk", "data.bin", Buffer.from([0, 1, 2, 3, 250, 251, 0, 9]), "a type we cannot recognise"],
    [
      "a script in UTF-16 text (a detector calls it MPEG audio)",
      "notes.txt",
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from("<script>alert(1)</script>", "utf16le")]),
      "holds a web page or script",
    ],
    [
      "UTF-16 text (text here is UTF-8)",
      "notes.txt",
      Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from("\u0000p\u0000l\u0000a\u0000i\u0000n", "latin1")]),
      "a type we cannot recognise",
    ],
  ])(
    "refuses %s with 422, the text kept, a message next to the file field, nothing saved",
    async (_, name, data, message) => {
      const before = await t.db.ticket.count();
      const fields = ticketFields();
      const res = await a.postFiles("/tickets", fields, [{ name, bytes: data, type: "image/png" }]);
      expect(res.status).toBe(422);
      expect(section(res.text, "files-error")).toContain(message);
      expect(res.text).toContain(`value="${fields.subject}"`);
      expect(res.text).toContain(fields.description);
      expect(res.text).toContain('<a href="#files">');
      expect(await t.db.ticket.count()).toBe(before);
    },
  );

  it("holds every limit at its boundary: 2 KB per file, 3 KB in all, 2 files", async () => {
    await openWith(a, [{ name: "exactly.txt", bytes: bytes(2048) }]);
    const over = await a.postFiles("/tickets", ticketFields(), [{ name: "over.txt", bytes: bytes(2049) }]);
    expect(over.status).toBe(422);
    // One byte over: the two sizes differ, so they are said in bytes ("2 KB ... at most 2 KB" said nothing).
    expect(section(over.text, "files-error")).toContain(
      "“over.txt” is 2,049 bytes: each file can be at most 2,048 bytes.",
    );
    await openWith(a, [
      { name: "one.txt", bytes: bytes(1536) },
      { name: "two.txt", bytes: bytes(1536) },
    ]);
    const total = await a.postFiles("/tickets", ticketFields(), [
      { name: "one.txt", bytes: bytes(1536) },
      { name: "two.txt", bytes: bytes(1537) },
    ]);
    expect(total.status).toBe(422);
    expect(section(total.text, "files-error")).toContain(
      "These files add up to 3,073 bytes: at most 3,072 bytes can go with one message",
    );
    const three = await a.postFiles("/tickets", ticketFields(), [
      { name: "1.txt", bytes: TEXT },
      { name: "2.txt", bytes: TEXT },
      { name: "3.txt", bytes: TEXT },
    ]);
    expect(three.status).toBe(422);
    expect(section(three.text, "files-error")).toContain("You chose 3 files: at most 2 can go with one message.");
  });

  it("refuses a body past what a file form may carry with 413 before reading it, and saves nothing", async () => {
    const before = await t.db.ticket.count();
    const res = await a.postFiles("/tickets", ticketFields(), [{ name: "huge.txt", bytes: bytes(200_000) }]);
    expect(res.status).toBe(413);
    expect(res.text).toContain("Go back: your text is still in the form.");
    expect(res.text).toContain('<nav aria-label="Main">');
    const partial = await a.postFiles("/tickets", ticketFields(), [{ name: "huge.txt", bytes: bytes(200_000) }], {
      htmx: "partial",
    });
    expect(partial.status).toBe(413);
    expect(partial.headers.get("HX-Reswap")).toBe("none");
    expect(partial.text).toContain('id="flash"');
    expect(await t.db.ticket.count()).toBe(before);
  });

  it("keeps the small limit on every other form", async () => {
    const res = await a.postFiles("/account/password", {}, [
      { name: "big.txt", bytes: bytes(t.config.bodyLimitBytes + 10) },
    ]);
    expect(res.status).toBe(413);
  });

  it("answers an htmx post with the form in place: the error, the text, and the files kept by hx-preserve", async () => {
    const res = await a.postFiles("/tickets", { ...ticketFields(), subject: "x" }, [{ name: "ok.png", bytes: PNG }], {
      htmx: "partial",
    });
    expect(res.status).toBe(422);
    expect(res.text).toMatch(/^<form id="ticket-form"/);
    expect(res.text).toMatch(/id="files"[^>]*data-hx-preserve="true"/);
    // A refused file is not kept: the person must choose another.
    const refused = await a.postFiles("/tickets", ticketFields(), [{ name: "x.exe", bytes: EXE }], { htmx: "partial" });
    expect(refused.text).not.toContain("data-hx-preserve");
  });
});

describe("content stored once", () => {
  it("keeps the same bytes sent twice (by two people) as one stored copy, two attachments", async () => {
    const photo = Buffer.concat([JPEG, Buffer.from("unique-1")]);
    const one = await openWith(a, [{ name: "a.jpg", bytes: photo }]);
    const two = await openWith(b, [{ name: "b.jpg", bytes: photo }]);
    const rows = await t.db.attachment.findMany({ where: { ticketId: { in: [one.id, two.id] } } });
    expect(rows).toHaveLength(2);
    expect(new Set(rows.map((r) => r.contentHash)).size).toBe(1);
    expect(await t.db.fileContent.count({ where: { hash: rows[0]!.contentHash } })).toBe(1);
    // Each still serves the whole file.
    for (const [browser, ticket] of [
      [a, one],
      [b, two],
    ] as const) {
      const [fileId] = fileIds(ticket.page.text);
      const res = await t.app.request(`/tickets/${ticket.id}/files/${fileId}`, {
        headers: { Cookie: browser.cookieHeader() },
      });
      expect(Buffer.from(await res.arrayBuffer()).equals(photo)).toBe(true);
    }
  });
});

describe("replies and internal notes with files", () => {
  it("attaches files to a reply and to a note; a note's files are the note's: agents only", async () => {
    const { id } = await openWith(a, []);
    const reply = await agent.postFiles(`/tickets/${id}/replies`, { body: "Here is the manual." }, [
      { name: "manual.pdf", bytes: PDF },
    ]);
    expect(reply.status).toBe(303);
    const note = await agent.postFiles(`/tickets/${id}/replies`, { body: "Vendor quote", kind: "note", as: "note" }, [
      { name: "quote.docx", bytes: DOCX },
    ]);
    expect(note.status).toBe(303);
    const rows = await t.db.attachment.findMany({
      where: { ticketId: id },
      include: { reply: true },
      orderBy: { id: "asc" },
    });
    expect(rows.map((r) => [r.name, r.reply?.internal])).toEqual([
      ["manual.pdf", false],
      ["quote.docx", true],
    ]);
    // The email of the reply names its file (which stays on the ticket page); the note's is never mailed.
    const mailed = await t.db.outboxMessage.findFirstOrThrow({ where: { ticketId: id, kind: "reply" } });
    expect(mailed.text).toContain("[Files on the ticket: manual.pdf (");
    expect(await t.db.outboxMessage.count({ where: { ticketId: id, text: { contains: "quote.docx" } } })).toBe(0);
    const staffPage = await agent.get(`/tickets/${id}`);
    expect(staffPage.text).toContain("quote.docx");
    expect(staffPage.text).toContain("(Word document, ");
    const requesterPage = await a.get(`/tickets/${id}`);
    expect(requesterPage.text).toContain("manual.pdf");
    expect(requesterPage.text).not.toContain("quote.docx");
  });

  it("appends an htmx reply with its files to the thread", async () => {
    const { id } = await openWith(a, []);
    const res = await a.postFiles(
      `/tickets/${id}/replies`,
      { body: "Another photo" },
      [{ name: "more.gif", bytes: GIF }],
      {
        htmx: "partial",
      },
    );
    expect(res.status).toBe(200);
    expect(res.text).toContain("more.gif");
    expect(res.text).toContain("(GIF image, ");
  });

  it("refuses a reply's bad file with 422 and keeps the reply's text", async () => {
    const { id } = await openWith(a, []);
    const res = await a.postFiles(`/tickets/${id}/replies`, { body: "see attached" }, [
      { name: "run.exe", bytes: EXE },
    ]);
    expect(res.status).toBe(422);
    expect(section(res.text, "files-error")).toContain("“run.exe”");
    expect(res.text).toContain("see attached</textarea>");
    expect(await t.db.reply.count({ where: { ticketId: id } })).toBe(0);
  });

  it("does not let a requester post a note, files or not", async () => {
    const { id } = await openWith(a, []);
    const res = await a.postFiles(`/tickets/${id}/replies`, { body: "sneaky", kind: "note", as: "note" }, [
      { name: "x.png", bytes: PNG },
    ]);
    expect(res.status).toBe(403);
    expect(await t.db.attachment.count({ where: { ticketId: id } })).toBe(0);
  });
});

describe("serving a file", () => {
  let ticketId: number;
  let png: number;
  let pdf: number;
  let zipFile: number;
  let noteFile: number;
  beforeAll(async () => {
    const made = await openWith(a, [
      { name: 'a "quoted"\nname.png', bytes: PNG },
      { name: "Überweisung März.pdf", bytes: PDF },
    ]);
    ticketId = made.id;
    [png, pdf] = fileIds(made.page.text) as [number, number];
    await a.postFiles(`/tickets/${ticketId}/replies`, { body: "the logs" }, [{ name: "logs.zip", bytes: ZIP }]);
    await agent.postFiles(`/tickets/${ticketId}/replies`, { body: "internal", kind: "note", as: "note" }, [
      { name: "secret.png", bytes: GIF },
    ]);
    const ids = fileIds((await agent.get(`/tickets/${ticketId}`)).text);
    [zipFile, noteFile] = ids.slice(2) as [number, number];
  });
  const get = (browser: Browser, file: number, headers: Record<string, string> = {}) =>
    browser.request(`/tickets/${ticketId}/files/${file}`, { headers });

  it("serves a raster image inline, sandboxed, private, with an ETag and 304", async () => {
    const res = await get(a, png);
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toBe("image/png");
    expect(res.headers.get("Content-Disposition")).toBe(
      `inline; filename="a _quoted_name.png"; filename*=UTF-8''a%20%22quoted%22name.png`,
    );
    expect(res.headers.get("Content-Security-Policy")).toBe("sandbox; default-src 'none'; style-src 'unsafe-inline'");
    expect(res.headers.get("X-Content-Type-Options")).toBe("nosniff");
    expect(res.headers.get("Cache-Control")).toBe("private, no-cache, no-transform");
    const etag = res.headers.get("ETag")!;
    expect(etag).toMatch(/^"[0-9a-f]{64}"$/);
    const again = await get(a, png, { "If-None-Match": etag });
    expect(again.status).toBe(304);
    expect(again.text).toBe("");
  });

  it("serves a PDF as a download with its UTF-8 name (RFC 6266), never compressed", async () => {
    const res = await get(a, pdf, { "Accept-Encoding": "gzip, br" });
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toBe("application/pdf");
    expect(res.headers.get("Content-Disposition")).toBe(
      `attachment; filename="_berweisung M_rz.pdf"; filename*=UTF-8''%C3%9Cberweisung%20M%C3%A4rz.pdf`,
    );
    expect(res.headers.get("Content-Encoding")).toBeNull();
    expect(res.headers.get("Content-Security-Policy")).toBe("sandbox; default-src 'none'; style-src 'unsafe-inline'");
  });

  it("answers the ownership matrix: requester, other requester, agent, note file, signed out", async () => {
    expect((await get(a, png)).status).toBe(200);
    expect((await get(a, zipFile)).status).toBe(200);
    expect((await get(agent, png)).status).toBe(200);
    expect((await get(agent, noteFile)).status).toBe(200);
    // Another requester, and the requester asking for a note's file: the same 404 as a missing file.
    const missing = await get(a, 999_999);
    expect(missing.status).toBe(404);
    for (const [browser, file] of [
      [b, png],
      [b, zipFile],
      [a, noteFile],
    ] as const) {
      const res = await get(browser, file);
      expect(res.status).toBe(404);
      expect(main(res.text)).toBe(main(missing.text));
      expect(res.headers.get("Content-Disposition")).toBeNull();
    }
    // The file of another ticket under this ticket's URL is missing too.
    const other = await openWith(b, [{ name: "bob.png", bytes: PNG }]);
    const bobFile = fileIds(other.page.text)[0]!;
    expect((await get(a, bobFile)).status).toBe(404);
    const out = await get(anon, png);
    expect(out.status).toBe(303);
    expect(out.location).toMatch(/^\/login/);
  });

  it("answers htmx the same as a page load", async () => {
    const res = await a.request(`/tickets/${ticketId}/files/${pdf}`, { htmx: "partial" });
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Disposition")).toMatch(/^attachment;/);
    expect((await b.request(`/tickets/${ticketId}/files/${pdf}`, { htmx: "partial" })).status).toBe(404);
  });
});

describe("file names", () => {
  it.each([
    ["../../etc/passwd.txt", "passwd.txt"],
    ["C:\\Users\\ann\\Desktop\\photo.jpg", "photo.jpg"],
    ['say "hi"\r\n.txt', 'say "hi".txt'],
    ["invoice\u202Egpj.exe", "invoicegpj.exe"],
    ["\u2066x\u2069.png", "x.png"],
    ["...hidden", "hidden"],
    ["", "file"],
    ["/", "file"],
    [`${"a".repeat(300)}.jpeg`, `${"a".repeat(115)}.jpeg`],
  ])("cleans %j to %j", (sent, kept) => {
    expect(cleanName(sent)).toBe(kept);
  });

  it("writes Content-Disposition with an ASCII fallback and the exact name", () => {
    expect(contentDisposition("attachment", 'a"b\\c%.txt')).toBe(
      `attachment; filename="a_b_c_.txt"; filename*=UTF-8''a%22b%5Cc%25.txt`,
    );
    expect(contentDisposition("inline", "تقرير.png")).toMatch(/^inline; filename="_____.png"; filename\*=UTF-8''%D8/);
  });

  it("shows a stored name escaped", async () => {
    const { page } = await openWith(a, [{ name: "<img src=x onerror=alert(1)>.png", bytes: PNG }]);
    expect(page.text).toContain("&lt;img src=x onerror=alert(1)&gt;.png");
    expect(page.text).not.toContain("<img src=x");
  });
});

describe("the kinds of file an admin allows (/admin/attachments)", () => {
  it("lets an admin narrow the kinds: a ZIP is then refused with what is taken, and the hint says so", async () => {
    const admin = await browserAs(t, await createUser(t.db, { role: "admin", name: "Ada" }));
    const page = await admin.get("/admin/attachments");
    expect(page.status).toBe(200);
    expect(page.text).toMatch(/<input type="checkbox" id="kind-zip" name="kind" value="zip" checked=""/);
    expect(page.text).toContain("up to 2 files of 2 KB each, at most 3 KB with one message");
    const body = new URLSearchParams([
      ["kind", "images"],
      ["kind", "pdf"],
      ["kind", "nonsense"],
    ]);
    body.set("_csrf", admin.csrf!);
    const saved = await admin.request("/admin/attachments", {
      method: "POST",
      body: body.toString(),
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
    });
    expect(saved.status).toBe(303);
    const row = await t.db.setting.findUniqueOrThrow({ where: { key: "attachment_kinds" } });
    expect(JSON.parse(row.value)).toEqual(["images", "pdf"]);
    const refused = await a.postFiles("/tickets", ticketFields(), [{ name: "logs.zip", bytes: ZIP }]);
    expect(refused.status).toBe(422);
    expect(section(refused.text, "files-error")).toContain(
      "“logs.zip” is a file of a type this desk does not take (ZIP archive). You can attach images or PDF documents.",
    );
    expect(section(refused.text, "files-hint")).toContain(": images or PDF documents.");
    await openWith(a, [{ name: "ok.png", bytes: PNG }]);

    // Nothing ticked: no file field on the forms, and a file sent anyway is refused.
    const none = await admin.post("/admin/attachments", {}, { htmx: "partial" });
    expect(none.status).toBe(200);
    expect(none.text).toContain("Saved: nobody can attach files now.");
    expect((await a.get("/tickets/new")).text).not.toContain('type="file"');
    const sent = await a.postFiles("/tickets", ticketFields(), [{ name: "ok.png", bytes: PNG }]);
    expect(sent.status).toBe(422);
    expect(sent.text).toContain("This desk does not take files.");
    await admin.post("/admin/attachments", { kind: "images" });
  });

  it("is for admins only", async () => {
    expect((await agent.get("/admin/attachments")).status).toBe(403);
    expect((await a.post("/admin/attachments", { kind: "zip" })).status).toBe(403);
  });
});
