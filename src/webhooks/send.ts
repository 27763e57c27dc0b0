import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import { Webhook } from "standardwebhooks";
import { checkLiteral, guardedLookup, RefusedAddress } from "./address.js";

// One HTTP POST of one signed message. Signed per Standard Webhooks (webhook-id, webhook-timestamp,
// webhook-signature: HMAC-SHA256 of "id.timestamp.body"); no redirect is followed; the whole try
// is bounded by a timeout, and at most RESPONSE_CAP bytes of the answer are read.

export const RESPONSE_CAP = 16 * 1024;
export const USER_AGENT = "Hyperdesk-Webhooks/1";

export type Attempt = { ok: boolean; status?: number; error?: string; ms: number };
export type SendOptions = { allowPrivate: boolean; timeoutMs: number };

/** The headers a message goes with, signed now. */
export function signedHeaders(secret: string, messageId: string, body: string, at: Date): Record<string, string> {
  const signature = new Webhook(secret).sign(messageId, at, body);
  return {
    "content-type": "application/json",
    "user-agent": USER_AGENT,
    "webhook-id": messageId,
    "webhook-timestamp": String(Math.floor(at.getTime() / 1000)),
    "webhook-signature": signature,
  };
}

/** Sends it; never throws: what happened is the Attempt (2xx is ok; anything else a failure to retry). */
export function post(
  url: string,
  headers: Record<string, string>,
  body: string,
  options: SendOptions,
): Promise<Attempt> {
  const started = performance.now();
  const ms = () => Math.round(performance.now() - started);
  return new Promise((resolve) => {
    let settled = false;
    let timer: NodeJS.Timeout | undefined;
    const finish = (a: Omit<Attempt, "ms">) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ ...a, ms: ms() });
    };
    let target: URL;
    try {
      target = new URL(url);
      checkLiteral(target, options.allowPrivate);
    } catch (error) {
      return finish({ ok: false, error: error instanceof RefusedAddress ? error.message : "not a usable address" });
    }
    const send = target.protocol === "https:" ? httpsRequest : httpRequest;
    const req = send(target, {
      method: "POST",
      headers: { ...headers, "content-length": String(Buffer.byteLength(body)) },
      lookup: guardedLookup(options.allowPrivate),
      agent: false,
    });
    timer = setTimeout(() => {
      finish({ ok: false, error: `no answer in ${options.timeoutMs / 1000} s` });
      req.destroy();
    }, options.timeoutMs);
    req.on("error", (error) =>
      finish({ ok: false, error: error instanceof RefusedAddress ? error.message : describe(error) }),
    );
    req.on("response", (res) => {
      const status = res.statusCode ?? 0;
      let read = 0;
      const done = () => {
        const redirect = status >= 300 && status < 400;
        finish({
          ok: status >= 200 && status < 300,
          status,
          error: redirect
            ? `redirect to ${res.headers.location ?? "?"} not followed`
            : status >= 300
              ? `answered ${status}`
              : undefined,
        });
        res.destroy();
      };
      res.on("data", (chunk: Buffer) => {
        read += chunk.length;
        if (read > RESPONSE_CAP) done();
      });
      res.on("end", done);
      res.on("error", done);
    });
    req.end(body);
  });
}

const describe = (error: Error & { code?: string }) =>
  error.code ? `${error.code}: ${error.message}`.slice(0, 300) : error.message.slice(0, 300);
