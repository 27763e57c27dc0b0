import type { Deps } from "../env.js";
import { smtpSender } from "./transport.js";
import { MailWorker } from "./worker.js";

/** Starts the outbox worker, saying where mail goes; the app process and `npm run worker` both use it. */
export function startMail(deps: Deps): MailWorker {
  const { smtpUrl, from } = deps.config.mail;
  const send = smtpSender(deps.config);
  deps.log(
    send
      ? { msg: `Sending email as ${from.address} through ${new URL(smtpUrl!).host}` }
      : {
          level: "warn",
          msg: "No SMTP_URL: email is not sent; every message is kept and readable on /admin/outbox",
        },
  );
  return new MailWorker(deps, send).start();
}
