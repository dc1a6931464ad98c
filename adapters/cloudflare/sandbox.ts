/**
 * The JavaScript sandbox on workerd. workerd cannot compile wasm from bytes at run time, so
 * QuickJS's wasm file is imported as a module: wrangler's default rule bundles `**\/*.wasm` as
 * CompiledWasm, giving a `WebAssembly.Module` (the package's `./wasm` export does not end in .wasm,
 * hence the file's own path; src/sandbox/quickjs-wasm.d.ts types the import).
 */
import quickjsWasm from "@jitl/quickjs-wasmfile-release-sync/dist/emscripten-module.wasm";
import type { ScriptSandbox } from "../../src/ports/sandbox.ts";
import { createQuickJSSandbox, type SandboxLimits } from "../../src/sandbox/quickjs-sandbox.ts";

export function createSandbox(limits?: Partial<SandboxLimits>): Promise<ScriptSandbox> {
  return createQuickJSSandbox(quickjsWasm, limits);
}
