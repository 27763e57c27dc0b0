import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Webhook } from "standardwebhooks";

// A real HTTP receiver for webhook tests: it keeps every request (headers, body, whether its
// signature verified with the standardwebhooks library, as the README tells integrators to), and
// answers as the test says (a status, a redirect, a hang, an endless body).

export type Received = {
  path: string;
  headers: Record<string, string>;
  body: string;
  verified: boolean;
  error?: string;
};
export type Behaviour = (req: IncomingMessage, res: ServerResponse, n: number) => void;

export class Receiver {
  readonly received: Received[] = [];
  secret = "";
  behave: Behaviour = (_req, res) => res.writeHead(204).end();
  private server: Server;
  private sockets = new Set<import("node:net").Socket>();

  constructor() {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const body = Buffer.concat(chunks).toString("utf8");
        const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]));
        let verified = false;
        let error: string | undefined;
        try {
          new Webhook(this.secret).verify(body, headers);
          verified = true;
        } catch (e) {
          error = (e as Error).message;
        }
        this.received.push({ path: req.url ?? "/", headers, body, verified, error });
        this.behave(req, res, this.received.length);
      });
    });
    this.server.on("connection", (s) => {
      this.sockets.add(s);
      s.on("close", () => this.sockets.delete(s));
    });
  }

  async start(host = "127.0.0.1"): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, host, resolve));
    const { port } = this.server.address() as AddressInfo;
    return `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
  }

  messages() {
    return this.received.map((r) => JSON.parse(r.body) as { type: string; data: Record<string, unknown> });
  }

  async close() {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
