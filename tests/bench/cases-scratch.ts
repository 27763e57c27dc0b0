import { BROWSER_HEADERS, SIZE_CASES, signIn, startApp } from "./harness.js";

const url = process.env.DB!;
const only = process.argv[2];
const { child } = await startApp(url, 3931);
try {
  const requester = await signIn(3931, "bench@example.com");
  const agent = await signIn(3931, "agent@example.com");
  const cases: Record<string, string> = {
    ...SIZE_CASES,
    queueSearchNone: "/queue?q=zzqx",
    queueSearchOne: "/queue?q=Ticket%20777.",
  };
  for (const [name, path] of Object.entries(cases)) {
    if (only && !name.startsWith(only)) continue;
    const cookie = path.startsWith("/queue") ? agent.cookie : requester.cookie;
    const times: number[] = [];
    for (let i = 0; i < 15; i++) {
      const s = performance.now();
      const res = await fetch(`http://127.0.0.1:3931${path}`, { headers: { ...BROWSER_HEADERS, Cookie: cookie } });
      await res.arrayBuffer();
      if (i >= 3) times.push(performance.now() - s);
    }
    times.sort((a, b) => a - b);
    console.log(name.padEnd(20), times[Math.floor(times.length / 2)]!.toFixed(2), "ms");
  }
} finally {
  child.kill();
}
process.exit(0);
