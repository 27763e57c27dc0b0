import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import type { WebhookDeliveryModel as Delivery } from "../db/prisma.js";
import type { Deps } from "../env.js";
import { errorForLog } from "../http/errors.js";
import { claim, claimNext, markDelivered, markFailed } from "./deliveries.js";
import { post, signedHeaders } from "./send.js";

/** Deliveries in flight at once in one worker: a hanging endpoint holds one of them until its timeout. */
const SLOTS = 16;

/**
 * Sends the webhook deliveries: every poll it claims due rows (as many as it has free slots) and
 * sends each without waiting for the others, so one slow endpoint does not hold up the rest. At
 * least once: a worker that dies after the receiver took a message but before it wrote "delivered"
 * sends it again, with the same webhook-id, when its lease runs out.
 */
export class WebhookWorker {
  readonly owner = `${hostname()}:${process.pid}:${randomBytes(4).toString("hex")}`;
  private readonly inFlight = new Set<Promise<unknown>>();
  private timer: NodeJS.Timeout | undefined;
  private round: Promise<unknown> = Promise.resolve();
  private stopping = false;

  constructor(private readonly deps: Deps) {}

  /** A lease outlasts a try by a margin, so a live worker's row is never taken from it. */
  private get leaseMs() {
    return this.deps.config.webhooks.timeoutMs + 60_000;
  }

  /**
   * Polls every WEBHOOK_POLL_SECONDS until stopped (a poll that finds the last one still claiming
   * skips); the timer never keeps the process up. A ticket's later rows do not wait for a poll:
   * deliver() takes them as the earlier ones go.
   */
  start(): this {
    let pumping = false;
    const tick = () => {
      if (this.stopping) return;
      if (!pumping) {
        pumping = true;
        this.round = this.pump()
          .catch((error: Error) =>
            this.deps.log({ level: "warn", msg: "webhook worker failed; will try again", ...errorForLog(error) }),
          )
          .finally(() => {
            pumping = false;
          });
      }
      this.timer = setTimeout(tick, this.deps.config.webhooks.pollMs).unref();
    };
    tick();
    return this;
  }

  /** Claims what is due for the free slots and starts sending each; does not wait for them. */
  private async pump(): Promise<number> {
    const rows = await claim(this.deps, this.owner, SLOTS - this.inFlight.size, this.leaseMs);
    for (const row of rows) {
      const sending: Promise<unknown> = this.deliver(row)
        .catch((error: Error) =>
          this.deps.log({ level: "warn", msg: "webhook delivery failed", delivery: row.id, ...errorForLog(error) }),
        )
        .finally(() => this.inFlight.delete(sending));
      this.inFlight.add(sending);
    }
    return rows.length;
  }

  /** One round, waited for to the end (tests, and the worker's own shutdown): how many were tried. */
  async runOnce(): Promise<number> {
    const count = await this.pump();
    await Promise.all(this.inFlight);
    return count;
  }

  /**
   * Sends the row, then, while they go through, the rows after it of the same endpoint and ticket
   * (claimNext): a busy ticket's events follow each other at once, in order, not one per poll.
   */
  private async deliver(first: Delivery): Promise<void> {
    for (let row: Delivery | null = first; row && !this.stopping; ) {
      if (!(await this.deliverOne(row))) return;
      row = await claimNext(this.deps, this.owner, row, this.leaseMs);
    }
  }

  /** One try of one row; whether it went through. */
  private async deliverOne(row: Delivery): Promise<boolean> {
    const endpoint = await this.deps.db.webhookEndpoint.findUnique({ where: { id: row.endpointId } });
    if (!endpoint) return false;
    const { allowPrivate, timeoutMs } = this.deps.config.webhooks;
    // Signed at the real time of the try: the receiver compares webhook-timestamp with its own
    // clock (a few minutes' tolerance), so it is never the app's clock as a test sets it.
    const headers = signedHeaders(endpoint.secret, row.messageId, row.payload, new Date());
    const attempt = await post(endpoint.url, headers, row.payload, { allowPrivate, timeoutMs });
    if (attempt.ok) {
      await markDelivered(this.deps, row, this.owner, attempt, endpoint.failingSince !== null);
      return true;
    }
    const next = await markFailed(this.deps, row, this.owner, attempt);
    this.deps.log({
      level: "warn",
      msg: "webhook not delivered",
      delivery: row.id,
      endpoint: row.endpointId,
      attempt: row.attempts,
      error: attempt.error,
      next,
    });
    return false;
  }

  /** SIGTERM: no new round; what is being sent finishes (each within its timeout). */
  async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.timer);
    await this.round;
    await Promise.all(this.inFlight);
  }
}
