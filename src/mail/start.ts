import type { Deps } from "../env.js";
import { WebhookWorker } from "../webhooks/worker.js";
import { ImapPoller } from "./imap.js";
import { smtpSender } from "./transport.js";
import { MailWorker } from "./worker.js";

/**
 * Starts the background work of a process, saying where mail goes and comes from: the outbox
 * worker, the IMAP poller when IMAP_URL is set, and the webhook deliveries' worker. The app
 * process (MAIL_WORKER) and `npm run worker` both use it.
 */
export function startMail(deps: Deps): { owner: string; stop: () => Promise<void> } {
  const { smtpUrl, from, imap } = deps.config.mail;
  const send = smtpSender(deps.config);
  deps.log(
    send
      ? { msg: `Sending email as ${from.address} through ${new URL(smtpUrl!).host}` }
      : {
          level: "warn",
          msg: "No SMTP_URL: email is not sent; every message is kept and readable on /admin/outbox",
        },
  );
  const worker = new MailWorker(deps, send).start();
  const poller = imap ? new ImapPoller(deps).start() : undefined;
  const webhooks = new WebhookWorker(deps).start();
  return {
    owner: worker.owner,
    stop: async () => {
      await Promise.all([worker.stop(), poller?.stop(), webhooks.stop()]);
    },
  };
}
