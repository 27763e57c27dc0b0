import { execFileSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { connect, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    imapUrl: string;
  }
}

// Debian's Dovecot as a real IMAP server for `npm run test:mail`: our own config in a temporary
// folder, on a free loopback port, one passwd-file user; stopped and removed after the run.
// (apt-get install -y dovecot-imapd; .ci/run installs it. Must run as root: Dovecot drops to its
// own users.)

const USER = "desk@example.test";
const PASSWORD = "secret";

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

const answers = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect(port, "127.0.0.1");
    socket.once("data", (d) => {
      socket.destroy();
      resolve(d.toString().startsWith("* OK"));
    });
    socket.once("error", () => resolve(false));
  });

export default async function setup(project: TestProject) {
  if (!existsSync("/usr/sbin/dovecot"))
    throw new Error(
      "Dovecot is not installed: apt-get install -y dovecot-imapd (the mail suite needs a real IMAP server)",
    );
  const dir = mkdtempSync(join(tmpdir(), "hyperdesk-dovecot-"));
  chmodSync(dir, 0o755);
  for (const sub of ["run", "state", "mail"]) mkdirSync(join(dir, sub));
  const port = await freePort();
  writeFileSync(join(dir, "users"), `${USER}:{PLAIN}${PASSWORD}\n`);
  const conf = join(dir, "dovecot.conf");
  writeFileSync(
    conf,
    `protocols = imap
listen = 127.0.0.1
base_dir = ${dir}/run
state_dir = ${dir}/state
log_path = ${dir}/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
mail_location = maildir:${dir}/mail/%u
default_internal_user = dovecot
default_internal_group = dovecot
default_login_user = dovenull
first_valid_uid = 100
# New mail is announced to IDLE sessions within a second (inotify may not reach into a container).
mailbox_idle_check_interval = 1 secs
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = ${port}
  }
  chroot =
}
service anvil {
  chroot =
}
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u ${dir}/users
}
userdb {
  driver = static
  args = uid=dovecot gid=dovecot home=${dir}/mail/%u
}
`,
  );
  execFileSync("chown", ["-R", "dovecot:dovecot", join(dir, "mail")]);
  execFileSync("/usr/sbin/dovecot", ["-c", conf], { stdio: "ignore" });
  const until = Date.now() + 15_000;
  while (!(await answers(port))) {
    if (Date.now() > until) throw new Error(`Dovecot did not start: ${readFileSync(join(dir, "dovecot.log"), "utf8")}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  project.provide("imapUrl", `imap://${encodeURIComponent(USER)}:${PASSWORD}@127.0.0.1:${port}`);
  return async () => {
    const pidFile = join(dir, "run", "master.pid");
    if (existsSync(pidFile)) {
      const pid = Number(readFileSync(pidFile, "utf8").trim());
      try {
        process.kill(pid, "SIGTERM");
      } catch {}
      const end = Date.now() + 10_000;
      while (Date.now() < end) {
        try {
          process.kill(pid, 0);
          await new Promise((r) => setTimeout(r, 100));
        } catch {
          break;
        }
      }
    }
    rmSync(dir, { recursive: true, force: true });
  };
}
