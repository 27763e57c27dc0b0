// npm run bench:passwords [-- DIST_DIR]: /healthz latency while 50 sign-ins arrive at once, the
// question being whether password work stalls page views. Prints figures, asserts nothing.
// Pass another build's dist folder (for example one built from an older commit) to compare.
import { latencyDuring, sleep, startBuilt } from "./sampler.js";

const dist = process.argv[2] ?? "dist";
const { base, stop } = await startBuilt(dist, 3950, { TRUST_PROXY: "1", LOGIN_MAX_FAILURES_PER_ADDRESS: "1000" });

/** One sign-in attempt as a browser sends it: the CSRF cookie and token from the sign-in page. */
async function signIn(i: number) {
  const page = await fetch(`${base}/login`);
  const cookie = page.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
  const csrf = (await page.text()).match(/name="_csrf" value="([^"]+)"/)![1]!;
  const body = new URLSearchParams({ email: `flood${i}@example.com`, password: "not the password", _csrf: csrf });
  const headers = {
    Cookie: cookie,
    "Content-Type": "application/x-www-form-urlencoded",
    "X-Forwarded-For": `198.51.100.${i}`,
  };
  return (await fetch(`${base}/login`, { method: "POST", body, headers, redirect: "manual" })).status;
}

const idle = await latencyDuring(`${base}/healthz`, sleep(1000));
const t0 = performance.now();
let statuses: number[] = [];
const flood = await latencyDuring(
  `${base}/healthz`,
  Promise.all(Array.from({ length: 50 }, (_, i) => signIn(i))).then((s) => {
    statuses = s;
  }),
);
const floodMs = performance.now() - t0;
stop();
const count = (s: number) => statuses.filter((x) => x === s).length;
console.log(`build: ${dist}`);
console.log(`/healthz idle:               ${idle}`);
console.log(`/healthz during 50 sign-ins: ${flood}`);
console.log(
  `the 50 sign-ins took ${floodMs.toFixed(0)} ms: ${count(401)} refused (401), ${count(503)} busy (503), ${count(429)} throttled (429)`,
);
