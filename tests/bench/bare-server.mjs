// The yardstick: the least a Node HTTP server can do on this machine.
import { createServer } from "node:http";

createServer((_, res) => res.end("ok")).listen(Number(process.argv[2]), "127.0.0.1", () => process.send?.("ready"));
