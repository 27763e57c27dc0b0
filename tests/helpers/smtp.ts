import type { AddressInfo } from "node:net";
import PostalMime, { type Email } from "postal-mime";
import { SMTPServer } from "smtp-server";

// A real SMTP server on a loopback port (the npm smtp-server package): the app's nodemailer talks
// real SMTP to it. Each message it accepts is kept raw and parsed; answers can be scripted.

export type Received = { raw: string; parsed: Email; from: string; to: string[] };

export type TestSmtp = {
  url: string;
  received: Received[];
  /** The next answers to DATA, in order: a code and text refuses (451 to retry, 550 for good). */
  answers: { code: number; text: string }[];
  /** While true, every message is taken in but not answered: a worker is caught mid-send. */
  holding: boolean;
  /** How many messages are being held unanswered. */
  held: number;
  /** Resolves once `n` messages have arrived. */
  waitFor: (n: number, ms?: number) => Promise<Received[]>;
  close: () => Promise<void>;
};

export async function startSmtp(): Promise<TestSmtp> {
  const received: Received[] = [];
  const answers: { code: number; text: string }[] = [];
  const state: TestSmtp = {
    url: "",
    received,
    answers,
    holding: false,
    held: 0,
    waitFor: async (n, ms = 15_000) => {
      const until = Date.now() + ms;
      while (received.length < n) {
        if (Date.now() > until) throw new Error(`${received.length} of ${n} messages arrived in ${ms} ms`);
        await new Promise((r) => setTimeout(r, 20));
      }
      return received;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", async () => {
        const answer = answers.shift();
        if (answer) {
          const error = Object.assign(new Error(answer.text), { responseCode: answer.code });
          callback(error);
          return;
        }
        if (state.holding) {
          state.held++;
          return;
        }
        const raw = Buffer.concat(chunks).toString("utf8");
        received.push({
          raw,
          parsed: await PostalMime.parse(raw),
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
          to: session.envelope.rcptTo.map((r) => r.address),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  state.url = `smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}`;
  return state;
}

/** A header of a received message, as its first value. */
export const header = (r: Received, name: string) => r.parsed.headers.find((h) => h.key === name.toLowerCase())?.value;

/** The first message to `to` whose subject matches, waiting up to 15 s for it to arrive. */
export async function arrived(smtp: TestSmtp, to: string, subject: RegExp = /./): Promise<Received> {
  const until = Date.now() + 15_000;
  for (;;) {
    const mail = smtp.received.find((m) => m.to.includes(to) && subject.test(m.parsed.subject ?? ""));
    if (mail) return mail;
    if (Date.now() > until) throw new Error(`no mail to ${to} matching ${subject}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
