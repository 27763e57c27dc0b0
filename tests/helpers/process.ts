import { type ChildProcess, spawn } from "node:child_process";
import { PASSWORD, SECRET } from "./app.js";

// The real process: src/server.ts as `npm start` runs it, on a database the test names.

export type Running = {
  child: ChildProcess;
  port: number;
  base: string;
  exited: Promise<number | null>;
  output: () => string;
};

export function spawnServer(databaseUrl: string, port = 0, extra: Record<string, string> = {}) {
  return spawn(process.execPath, ["--import", "tsx", "src/server.ts"], {
    env: {
      ...process.env,
      PORT: String(port),
      HOST: "127.0.0.1",
      DATABASE_URL: databaseUrl,
      AUTH_SECRET: SECRET,
      NODE_ENV: "test",
      ...extra,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
}

/** Starts the server and waits until it listens. */
export async function startServer(databaseUrl: string, extra: Record<string, string> = {}): Promise<Running> {
  const child = spawnServer(databaseUrl, 0, extra);
  let out = "";
  child.stdout!.on("data", (d) => (out += d));
  child.stderr!.on("data", (d) => (out += d));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setInterval(() => {
      const m = out.match(/listening on http:\/\/127\.0\.0\.1:(\d+)/);
      if (m) {
        clearInterval(timer);
        resolve(Number(m[1]));
      }
      if (child.exitCode !== null) {
        clearInterval(timer);
        reject(new Error(`server exited: ${out}`));
      }
    }, 20);
  });
  return { child, port, base: `http://127.0.0.1:${port}`, exited, output: () => out };
}

export const cookiesOf = (res: Response) =>
  res.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");

export const csrfOf = (html: string) => html.match(/name="_csrf" value="([^"]+)"/)![1]!;

/** A form post as a browser sends it, never following the redirect. */
export const postForm = (
  url: string,
  cookie: string,
  fields: Record<string, string>,
  headers: Record<string, string> = {},
) =>
  fetch(url, {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Cookie: cookie, ...headers },
    body: new URLSearchParams(fields),
  });

/** Signs in through the real forms; the session cookie and a CSRF token of that session. */
export async function signIn(base: string, email: string, password = PASSWORD) {
  const page = await fetch(`${base}/login`);
  const anon = cookiesOf(page);
  const res = await postForm(`${base}/login`, anon, { email, password, _csrf: csrfOf(await page.text()) });
  const cookie = cookiesOf(res);
  const account = await (await fetch(`${base}/account`, { headers: { Cookie: cookie } })).text();
  return { cookie, csrf: csrfOf(account) };
}
