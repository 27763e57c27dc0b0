// npm run bench:slow [-- DIST_DIR]: page views while 300 clients send their headers a line at a
// time and 100 more send a body a byte at a time. Prints figures, asserts nothing.
import net from "node:net";
import { latencyDuring, sleep, startBuilt } from "./sampler.js";

const dist = process.argv[2] ?? "dist";
const port = 3951;
const { base, stop } = await startBuilt(dist, port, { HEADERS_TIMEOUT_SECONDS: "15", REQUEST_TIMEOUT_SECONDS: "30" });

let closedByServer = 0;
/** A client that never finishes: a header line (or a body byte) every second. */
function slowClient(kind: "headers" | "body") {
  const socket = net.connect(port, "127.0.0.1");
  socket.on("error", () => {});
  socket.on("connect", () => {
    socket.write(
      kind === "headers"
        ? "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        : "POST /login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 5000\r\n\r\n",
    );
  });
  const drip = setInterval(() => socket.writable && socket.write(kind === "headers" ? "X-Slow: 1\r\n" : "a"), 1000);
  socket.on("close", () => {
    clearInterval(drip);
    closedByServer++;
  });
  return socket;
}

const idle = await latencyDuring(`${base}/login`, sleep(2000));
const sockets = [
  ...Array.from({ length: 300 }, () => slowClient("headers")),
  ...Array.from({ length: 100 }, () => slowClient("body")),
];
await sleep(1000);
const during = await latencyDuring(`${base}/login`, sleep(10_000));
const closedAfter11s = closedByServer;
await sleep(10_000);
const closedAfter21s = closedByServer;
await sleep(15_000);
console.log(`build: ${dist}`);
console.log(`/login idle:                         ${idle}`);
console.log(`/login with 400 slow clients open:   ${during}`);
console.log(
  `slow sockets closed by the server (headers deadline 15 s, request deadline 30 s): ${closedAfter11s} after 11 s, ${closedAfter21s} after 21 s, ${closedByServer} after 36 s (of 400)`,
);
for (const s of sockets) s.destroy();
stop();
