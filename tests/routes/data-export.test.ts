import { unzipSync } from "fflate";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Browser, browserAs, createUser, type TestApp, testApp } from "../helpers/app.js";
import { PDF, PNG } from "../helpers/files.js";

// A person's data as one archive from /account (#28): their account, their tickets with every
// public message and file, the files themselves; never the desk's internal notes or their files,
// never another person's tickets.

let t: TestApp;
beforeAll(async () => {
  t = await testApp({});
});
afterAll(() => t.close());

const fields = (subject: string) => ({
  subject,
  description: "The scanner on floor 2 saves blank pages.",
  priority: "High",
});

describe("a person's data", () => {
  it("is one ZIP: README, account.json, tickets.json and the files, without internal notes", async () => {
    const ann = await createUser(t.db, { name: "Ann Archive" });
    const bob = await createUser(t.db, { name: "Bob Other" });
    const agent = await createUser(t.db, { role: "agent", name: "Alex Agent" });
    const a = await browserAs(t, ann);
    const opened = await a.postFiles("/tickets", fields("Scanner saves blank pages"), [
      { name: "scan.png", bytes: PNG, type: "image/png" },
    ]);
    expect(opened.status).toBe(303);
    const id = Number(opened.location!.split("/").pop());
    const staff = await browserAs(t, agent);
    await staff.postFiles(`/tickets/${id}/replies`, { body: "Here is the manual." }, [
      { name: "manual.pdf", bytes: PDF },
    ]);
    await staff.postFiles(`/tickets/${id}/replies`, { body: "Vendor quote: 400 EUR", kind: "note", as: "note" }, [
      { name: "quote.pdf", bytes: PDF },
    ]);
    await a.post(`/tickets/${id}/replies`, { body: "Thanks, that worked." });
    await (await browserAs(t, bob)).post("/tickets", fields("Bob's own ticket"));

    const page = await a.get("/account");
    expect(page.text).toContain('href="/account/export.zip"');
    const res = await a.get("/account/export.zip");
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toBe("application/zip");
    expect(res.headers.get("Content-Disposition")).toMatch(
      /^attachment; filename="hyperdesk-user\d+-[a-z0-9]+-\d{4}-\d{2}-\d{2}\.zip"/,
    );
    expect(res.headers.get("Cache-Control")).toBe("private, no-store");
    // The test browser reads answers as text: the bytes, from the app itself.
    const raw = await t.app.request("/account/export.zip", { headers: { Cookie: a.cookieHeader() } });
    const files = unzipSync(new Uint8Array(await raw.arrayBuffer()));
    const names = Object.keys(files).sort();
    expect(names.filter((n) => !n.startsWith("files/"))).toEqual(["README.txt", "account.json", "tickets.json"]);
    expect(names.filter((n) => n.startsWith(`files/${id}/`))).toHaveLength(2);
    expect(names).toHaveLength(5);
    const account = JSON.parse(new TextDecoder().decode(files["account.json"]));
    expect(account).toMatchObject({ name: "Ann Archive", email: ann.email, role: "requester" });
    expect(account.signedIn.length).toBeGreaterThanOrEqual(1);
    const tickets = JSON.parse(new TextDecoder().decode(files["tickets.json"]));
    expect(tickets.map((x: { subject: string }) => x.subject)).toEqual(["Scanner saves blank pages"]);
    const [ticket] = tickets;
    expect(ticket.number).toBe(id);
    expect(ticket.files.map((f: { name: string }) => f.name)).toEqual(["scan.png"]);
    expect(ticket.messages.map((m: { from: string; text: string }) => [m.from, m.text])).toEqual([
      ["Alex Agent", "Here is the manual."],
      ["you", "Thanks, that worked."],
    ]);
    expect(ticket.messages[0].files.map((f: { name: string }) => f.name)).toEqual(["manual.pdf"]);
    // The files, byte for byte, where tickets.json says.
    expect(Buffer.from(files[ticket.files[0].path]!)).toEqual(PNG);
    expect(Buffer.from(files[ticket.messages[0].files[0].path]!)).toEqual(PDF);
    // Nothing of the internal note, nothing of Bob.
    const all = names.map((n) => new TextDecoder().decode(files[n])).join("\n");
    expect(all).not.toContain("Vendor quote");
    expect(all).not.toContain("quote.pdf");
    expect(all).not.toContain("Bob");
    expect(new TextDecoder().decode(files["README.txt"])).toContain("Internal notes of the desk's");
  });

  it("is for the signed-in person only", async () => {
    const res = await new Browser(t).get("/account/export.zip");
    expect(res.status).toBe(303);
    expect(res.location).toBe("/login?next=%2Faccount%2Fexport.zip");
  });
});
