import { execFile, execFileSync, spawn } from "node:child_process";
import { createWriteStream, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

// Debian's Lynx driven by a command script (shared/notes/lynx-testing.md): numbered links and
// fields, a cookie jar carried from one run to the next, the screen saved as text where the
// journey asserts. Field numbers are looked up in a dump of the page at run time, by their labels.

const exec = promisify(execFile);

const CONFIG = `INCLUDE:/etc/lynx/lynx.cfg
DEFAULT_KEYPAD_MODE:LINKS_AND_FIELDS_ARE_NUMBERED
TEXTFIELDS_NEED_ACTIVATION:TRUE
ACCEPT_ALL_COOKIES:TRUE
PERSISTENT_COOKIES:TRUE
NO_PAUSE:TRUE
`;

/** One Lynx user: a home, a config and a cookie jar of their own. */
export class Lynx {
  readonly dir = mkdtempSync(join(tmpdir(), "hyperdesk-lynx-"));
  private saved = 0;
  constructor() {
    writeFileSync(join(this.dir, "ci.cfg"), CONFIG);
  }

  private args(extra: string[]) {
    const jar = join(this.dir, "cookies");
    return [`-cfg=${join(this.dir, "ci.cfg")}`, `-cookie_file=${jar}`, `-cookie_save_file=${jar}`, ...extra];
  }
  private env() {
    return { ...process.env, TERM: "vt100", HOME: this.dir };
  }

  /** The page as Lynx numbers it, with this user's cookies. */
  async dump(url: string): Promise<string> {
    return (await exec("lynx", this.args(["-dump", url]), { env: this.env(), timeout: 60_000 })).stdout;
  }

  /**
   * Runs a journey step from `url`: `steps` writes the script (its `save()` lines keep the screen
   * there); `pause` sends the first `after` lines, waits, then the rest. The saved screens, in order.
   */
  async run(url: string, steps: (s: Script) => void, pause?: { after: number; wait: () => Promise<void> }) {
    const script = new Script(this.dir, () => `screen-${++this.saved}.txt`);
    steps(script);
    script.keys("Q");
    const lines = script.lines;
    // The script through a FIFO (Lynx reads its keyboard from standard input, kept empty).
    const fifo = join(this.dir, `script-${this.saved}.fifo`);
    execFileSync("mkfifo", [fifo]);
    const child = spawn("lynx", this.args([`-cmd_script=${fifo}`, url]), {
      env: this.env(),
      stdio: ["ignore", "ignore", "ignore"],
    });
    const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
    const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
    const input = createWriteStream(fifo);
    if (pause) {
      // A wait inside the script (the guest form's stamp): the first lines, then the rest later.
      input.write(`${lines.slice(0, pause.after).join("\n")}\n`);
      await pause.wait();
    }
    input.end(`${lines.slice(pause?.after ?? 0).join("\n")}\n`);
    const code = await exited;
    clearTimeout(timer);
    if (code !== 0) throw new Error(`lynx exited ${code}`);
    return script.screens.map((name) => readFileSync(join(this.dir, name), "utf8"));
  }
}

/** The keystrokes of a command script, with the helpers of the notes. */
export class Script {
  lines: string[] = [];
  screens: string[] = [];
  constructor(
    private readonly dir: string,
    private readonly nextName: () => string,
  ) {}
  keys(...keys: string[]) {
    for (const k of keys) this.lines.push(`key ${k}`);
    return this;
  }
  type(text: string) {
    for (const c of text) this.keys(c === " " ? "<space>" : c);
    return this;
  }
  /** To numbered field or link N. */
  to(n: number) {
    return this.type(String(n)).keys("^J");
  }
  /** A text, password or file field (a file: its absolute path). */
  fill(n: number, text: string) {
    return this.to(n).keys("^J", "^U").type(text).keys("^J");
  }
  /** A text area: typed, then left with Tab. */
  area(n: number, text: string) {
    return this.to(n).keys("^J", "^U").type(text).keys("^I");
  }
  press(n: number) {
    return this.to(n).keys("^J");
  }
  go(url: string) {
    return this.keys("g", "^U").type(url).keys("^J");
  }
  /** The screen as text, through the Print menu's "Save to a local file". */
  save() {
    const name = this.nextName();
    this.screens.push(name);
    return this.keys("p", "^J", "^U").type(join(this.dir, name)).keys("^J");
  }
}

/** The number of the first field after a label in a dump. */
export function fieldAfter(dump: string, label: string): number {
  const at = dump.indexOf(label);
  if (at < 0) throw new Error(`no "${label}" in the page:\n${dump}`);
  const m = dump.slice(at + label.length).match(/\[(\d+)\]/);
  if (!m) throw new Error(`no field after "${label}"`);
  return Number(m[1]);
}

/** The number of a button, by its words. */
export function button(dump: string, name: string): number {
  const m = dump.match(new RegExp(`\\(\\[(\\d+)\\]BUTTON\\) ${name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`));
  if (!m) throw new Error(`no button "${name}" in the page:\n${dump}`);
  return Number(m[1]);
}

/** The screen's text without Lynx's numbers and its list of references. */
export const reading = (screen: string) => screen.split(/^References$/m)[0]!.replace(/\[\d+\]/g, "");
