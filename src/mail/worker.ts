import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import type { OutboxMessageModel as OutboxMessage } from "../db/prisma.js";
import type { Deps } from "../env.js";
import { errorForLog } from "../http/errors.js";
import { claim, markFailed, markSent, release } from "./outbox.js";
import { describeFailure, type Send } from "./transport.js";

const BATCH = 20;

/**
 * Sends the outbox: every poll it claims due rows and sends them one by one. With no SMTP server
 * (`send` null) each message is marked "kept", readable on /admin/outbox. Delivery is at least
 * once: a worker that dies after the server accepted a message but before it wrote "sent" sends it
 * again when its lease runs out, with the same Message-ID.
 */
export class MailWorker {
  readonly owner = `${hostname()}:${process.pid}:${randomBytes(4).toString("hex")}`;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> = Promise.resolve();
  private stopping = false;

  constructor(
    private readonly deps: Deps,
    private readonly send: Send | null,
  ) {}

  /** Polls every MAIL_POLL_SECONDS until stopped; the timer never keeps the process up. */
  start(): this {
    const tick = () => {
      if (this.stopping) return;
      this.running = this.runOnce()
        .catch((error: Error) =>
          this.deps.log({ level: "warn", msg: "outbox worker failed; will try again", ...errorForLog(error) }),
        )
        .finally(() => {
          if (!this.stopping) this.timer = setTimeout(tick, this.deps.config.mail.pollMs).unref();
        });
    };
    tick();
    return this;
  }

  /** One round: claims what is due and tries each; the counts of what happened. */
  async runOnce(): Promise<{ sent: number; failed: number; released: number }> {
    const rows = await claim(this.deps, this.owner, BATCH);
    const counts = { sent: 0, failed: 0, released: 0 };
    for (const [i, row] of rows.entries()) {
      if (this.stopping) {
        counts.released = await release(
          this.deps,
          this.owner,
          rows.slice(i).map((r) => r.id),
        );
        break;
      }
      (await this.deliver(row)) ? counts.sent++ : counts.failed++;
    }
    return counts;
  }

  private async deliver(row: OutboxMessage): Promise<boolean> {
    if (!this.send) {
      await markSent(this.deps, row, this.owner, "kept");
      return true;
    }
    try {
      await this.send(row);
    } catch (error) {
      const { message, permanent } = describeFailure(error);
      await markFailed(this.deps, row, this.owner, message, permanent);
      this.deps.log({
        level: "warn",
        msg: "mail not sent",
        outbox: row.id,
        attempt: row.attempts,
        permanent,
        error: message,
      });
      return false;
    }
    await markSent(this.deps, row, this.owner);
    return true;
  }

  /** SIGTERM: no new round; the message being sent finishes, what is held but untried goes back. */
  async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.timer);
    await this.running;
  }
}
