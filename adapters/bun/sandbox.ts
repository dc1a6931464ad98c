/**
 * The JavaScript sandbox on Bun: QuickJS's wasm file from the package, compiled once per process.
 * `with { type: "file" }` gives its path (and makes `bun build --compile` embed it). workerd cannot
 * compile wasm at run time; its adapter imports the same file as a module instead.
 */
import quickjsWasmPath from "@jitl/quickjs-wasmfile-release-sync/wasm" with { type: "file" };
import type { ScriptSandbox } from "../../src/ports/sandbox.ts";
import { createQuickJSSandbox, type SandboxLimits } from "../../src/sandbox/quickjs-sandbox.ts";

let compiled: Promise<WebAssembly.Module> | undefined;

export async function createSandbox(limits?: Partial<SandboxLimits>): Promise<ScriptSandbox> {
  compiled ??= (async () => WebAssembly.compile(await Bun.file(quickjsWasmPath).arrayBuffer()))();
  return createQuickJSSandbox(await compiled, limits);
}
