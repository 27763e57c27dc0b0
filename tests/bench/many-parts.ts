// npm run bench:parts [-- DIST_DIR]: /healthz latency while anonymous clients post multipart bodies
// of 100,000 tiny parts (5.6 MB each, with Content-Length) to /guest and /tickets, one after another
// on four connections: with the form's cookie and its token (the worst case: the CSRF check must
// read the form's field) and without any cookie. Prints figures, asserts nothing.
import { latencyDuring, sleep, startBuilt } from "./sampler.js";

const dist = process.argv[2] ?? "dist";
const port = 3953;
const { base, stop } = await startBuilt(dist, port, { GUEST_TICKETS: "true" });

const BOUNDARY = "----benchParts";
const PARTS = 100_000;
function body(csrf?: string) {
  let text = csrf ? `--${BOUNDARY}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${csrf}\r\n` : "";
  for (let i = 0; i < PARTS; i++) text += `--${BOUNDARY}\r\nContent-Disposition: form-data; name="f${i}"\r\n\r\nx\r\n`;
  return Buffer.from(`${text}--${BOUNDARY}--\r\n`);
}

const page = await fetch(`${base}/guest`);
const cookie = page.headers
  .getSetCookie()
  .map((c) => c.split(";")[0])
  .join("; ");
const csrf = (await page.text()).match(/name="_csrf" value="([^"]+)"/)?.[1];
const withToken = body(csrf);
const bare = body();

let sent = 0;
const statuses = new Map<number, number>();
/** One client: a many-part body after another for `ms`. */
async function flood(ms: number, path: string, payload: Buffer, headers: Record<string, string>) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    const res = await fetch(`${base}${path}`, {
      method: "POST",
      body: payload as Uint8Array<ArrayBuffer>,
      headers: { "Content-Type": `multipart/form-data; boundary=${BOUNDARY}`, ...headers },
    }).catch(() => undefined);
    await res?.arrayBuffer().catch(() => undefined);
    sent++;
    if (res) statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
  }
}

const idle = await latencyDuring(`${base}/healthz`, sleep(2000));
const work = Promise.all([
  flood(10_000, "/guest", withToken, { Cookie: cookie }),
  flood(10_000, "/tickets", withToken, { Cookie: cookie }),
  flood(10_000, "/guest", bare, {}),
  flood(10_000, "/tickets", bare, {}),
]);
const during = await latencyDuring(`${base}/healthz`, work);
console.log(`build: ${dist}`);
console.log(`/healthz idle:                                   ${idle}`);
console.log(`/healthz while 100,000-part bodies arrive:       ${during}`);
console.log(
  `bodies sent in 10 s: ${sent} (${((sent * withToken.length) / 1048576).toFixed(0)} MB), answers: ${[...statuses]
    .map(([s, n]) => `${n} x ${s}`)
    .join(", ")}`,
);
stop();
