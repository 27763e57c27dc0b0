import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import type { Provider } from "./database-url.js";

const require = createRequire(import.meta.url);

/** How many times the query compiler was read here rather than by Prisma's own import (the test's proof). */
export const compilerReads = { count: 0 };

/**
 * Prisma's WebAssembly query compiler for the provider, read from its package's file as bytes. The
 * generated client imports it as an ES module holding 2.5 MB of base64; a module stays loaded for
 * the life of the process, and with it that string twice (the module's source and its value): 5 MB
 * of the app's 45 MB heap at rest. Read here, the text is garbage once decoded; only the compiled
 * module stays, as it does either way.
 */
async function compilerModule(provider: Provider): Promise<WebAssembly.Module> {
  const file = await readFile(require.resolve(`@prisma/client/runtime/query_compiler_bg.${provider}.wasm-base64.js`));
  // The file is `const wasm = "<base64>";` and an export: the text between the first two quotes.
  const start = file.indexOf(0x22) + 1;
  const end = file.indexOf(0x22, start);
  compilerReads.count++;
  return new WebAssembly.Module(Buffer.from(file.toString("latin1", start, end), "base64"));
}

type CompilerWasm = { getQueryCompilerWasmModule: () => Promise<WebAssembly.Module> };

/**
 * Points a new client at `compilerModule`, before its first query loads the compiler. The client
 * keeps its generated config's loader (the same object for every client of a provider) in
 * `_engineConfig`, an internal of the pinned Prisma version: should a version move it, the client
 * loads the compiler its own way and tests/db/compiler-wasm.test.ts goes red.
 */
export function readCompilerFromFile(client: object, provider: Provider): void {
  const compiler = (client as { _engineConfig?: { compilerWasm?: CompilerWasm } })._engineConfig?.compilerWasm;
  if (compiler && typeof compiler.getQueryCompilerWasmModule === "function")
    compiler.getQueryCompilerWasmModule = () => compilerModule(provider);
}
