import type { ImapFlow } from "imapflow";
import type { Deps } from "../env.js";
import { errorForLog } from "../http/errors.js";
import { recordMailPoll } from "../operations.js";
import { receiveMail } from "./incoming.js";

// The IMAP door of incoming mail: every message in the folder is filed (incoming.ts) and then
// moved out of it, to the done folder or, when it could not be taken, the failed folder, so it is
// never taken twice, across restarts too. Several pollers on one mailbox may take the same message
// at the same moment: its Message-ID, recorded with the change, makes the second one a no-op.
// Between polls the connection waits in IDLE where the server offers it, so new mail is taken
// within seconds however long the poll interval.

/** A message filed this long ago and still in the folder was left there by a poller that died. */
const STRANDED_MS = 5 * 60_000;

export class ImapPoller {
  private client: ImapFlow | undefined;
  private stopping = false;
  private wake: (() => void) | undefined;
  private loop: Promise<void> | undefined;

  constructor(private readonly deps: Deps) {}

  private get settings() {
    return this.deps.config.mail.imap!;
  }

  private async connect(): Promise<ImapFlow> {
    if (this.client?.usable) return this.client;
    const url = new URL(this.settings.url);
    const secure = url.protocol === "imaps:";
    // Loaded when a mailbox is read at all (about 10 MB of memory a desk without IMAP never needs).
    const { ImapFlow } = await import("imapflow");
    const client = new ImapFlow({
      host: url.hostname,
      port: Number(url.port) || (secure ? 993 : 143),
      secure,
      auth: { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) },
      logger: false,
      // imapflow enters IDLE by itself once the connection has been quiet for 15 s, and breaks it
      // for each command; the server's word of new mail ("exists") then ends the wait at once. A
      // server without IDLE is simply polled. (IDLE started by hand raced with the next poll's
      // commands and could hold them until it timed out; imapflow's own can too, rarely, so IDLE is
      // renewed every 10 s, which bounds such a stall.)
      maxIdleTime: 10_000,
    });
    client.on("error", (error: Error) =>
      this.deps.log({ level: "warn", msg: "IMAP connection error", ...errorForLog(error) }),
    );
    client.on("exists", () => this.wake?.());
    await client.connect();
    for (const folder of [this.settings.doneFolder, this.settings.failedFolder]) {
      await client.mailboxCreate(folder).catch(() => {}); // already there
    }
    this.client = client;
    return client;
  }

  /** One pass over the folder: the counts of what was filed and what could not be. */
  async pollOnce(): Promise<{ taken: number; failed: number }> {
    const client = await this.connect();
    const counts = { taken: 0, failed: 0 };
    const lock = await client.getMailboxLock(this.settings.folder);
    try {
      // Mail appended by the server since the folder was opened is only seen after a command.
      await client.noop();
      const uids = (await client.search({ all: true }, { uid: true })) || [];
      for (const uid of uids) {
        if (this.stopping) break;
        const message = await client.fetchOne(String(uid), { source: true }, { uid: true });
        const source = message ? message.source : undefined;
        if (!source) continue; // gone: another poller moved it away
        let result: Awaited<ReturnType<typeof receiveMail>>;
        try {
          result = await receiveMail(this.deps, source);
        } catch (error) {
          // The desk could not file it (the database is away?): it stays in the folder for the
          // next poll, and the messages after it are still taken.
          this.deps.log({ level: "warn", msg: "mail not filed; will try again", uid, ...errorForLog(error as Error) });
          continue;
        }
        if (result.outcome === "duplicate") {
          // Taken by another poller: that one moves it, and two MOVEs of one message from two
          // sessions can leave two copies. Only a message taken long ago and still here (its
          // poller died before the move) is moved on by this one.
          const age = this.deps.clock.now().getTime() - result.recordedAt.getTime();
          if (age > STRANDED_MS)
            await client.messageMove(String(uid), this.settings.doneFolder, { uid: true }).catch(() => {});
          continue;
        }
        const failed = result.outcome === "failed";
        failed ? counts.failed++ : counts.taken++;
        this.deps.log({ msg: "mail received", uid, ...result });
        const to = failed ? this.settings.failedFolder : this.settings.doneFolder;
        await client.messageMove(String(uid), to, { uid: true }).catch(() => {});
      }
    } finally {
      lock.release();
    }
    return counts;
  }

  /** Polls until stopped; a lost connection is made again after a pause. */
  start(): this {
    const { folder, pollMs } = this.settings;
    this.deps.log({ msg: `Taking incoming mail from ${new URL(this.settings.url).host}, folder ${folder}` });
    this.loop = (async () => {
      let pause = 1000;
      while (!this.stopping) {
        try {
          await this.pollOnce();
          await recordMailPoll(this.deps).catch(() => {});
          pause = 1000;
          await this.sleep(pollMs);
        } catch (error) {
          this.deps.log({ level: "warn", msg: "IMAP poll failed; trying again", ...errorForLog(error as Error) });
          await recordMailPoll(this.deps, (error as Error).message).catch(() => {});
          this.client?.close();
          this.client = undefined;
          await this.sleep(pause);
          pause = Math.min(pause * 2, 60_000);
        }
      }
    })();
    return this;
  }

  /** Waits for the next poll; the server's word of new mail ("exists", in IDLE) ends the wait. */
  private sleep(ms: number) {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }

  /**
   * Finishes the message being filed, then logs out. An IMAP command still waiting on the server
   * after 3 s is cut off by closing the connection: the database work of a message is never cut,
   * and a message left unmoved is found again next time and recognised by its Message-ID.
   */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    const grace = (ms: number) => new Promise((r) => setTimeout(r, ms).unref());
    await Promise.race([this.loop, grace(3000)]);
    const client = this.client;
    this.client = undefined;
    if (client) {
      await Promise.race([client.logout().catch(() => {}), grace(2000)]);
      client.close();
    }
    await this.loop;
  }
}
