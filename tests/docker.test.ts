import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

// Docker cannot run on these machines; this keeps the Dockerfile honest against package.json.
describe("Dockerfile", () => {
  const dockerfile = readFileSync("Dockerfile", "utf8");
  const scripts = JSON.parse(readFileSync("package.json", "utf8")).scripts as Record<string, string>;

  it("runs only npm scripts that exist, and builds with the build script", () => {
    const used = [...dockerfile.matchAll(/npm run ([\w:-]+)/g)].map((m) => m[1]!);
    expect(used.length).toBeGreaterThan(0);
    for (const name of used) expect(scripts, name).toHaveProperty(name);
  });

  it("starts what `npm start` starts, after migrations, as a non-root user with a health check", () => {
    const [, env, command] = scripts.start!.match(/^((?:[A-Z_]+=\S+ )*)node (.*)$/)!;
    expect(dockerfile).toContain(command);
    // What the start script sets before node (MALLOC_ARENA_MAX), the image sets too.
    for (const setting of env!.split(" ").filter(Boolean)) expect(dockerfile).toContain(` ${setting} `);
    expect(dockerfile).toMatch(/prisma migrate deploy/);
    expect(dockerfile).toMatch(/^USER (?!root)/m);
    expect(dockerfile).toMatch(/^HEALTHCHECK .*\/healthz/m);
    expect(dockerfile).toMatch(/^VOLUME .*data/m);
    expect(dockerfile).toMatch(/npm prune --omit=dev/);
    expect(dockerfile).toMatch(/python3.*make.*g\+\+/);
  });

  it("builds from the sources only: no local installs, data, secrets or .env reach the image", () => {
    const ignored = readFileSync(".dockerignore", "utf8")
      .split("\n")
      .map((l) => l.trim());
    for (const path of ["node_modules", "dist", "data", ".env", "*.db", "src/generated"])
      expect(ignored, path).toContain(path);
  });
});
