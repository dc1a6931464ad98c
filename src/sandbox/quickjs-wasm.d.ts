// QuickJS's wasm file (@jitl/quickjs-wasmfile-release-sync) as the adapters import it.

// adapters/cloudflare/sandbox.ts: wrangler bundles a `.wasm` import as CompiledWasm, a compiled module.
declare module "@jitl/quickjs-wasmfile-release-sync/dist/emscripten-module.wasm" {
  const quickjsWasm: WebAssembly.Module;
  export default quickjsWasm;
}

// adapters/bun/sandbox.ts: Bun's `with { type: "file" }` import gives the file's path.
declare module "@jitl/quickjs-wasmfile-release-sync/wasm" {
  const quickjsWasmPath: string;
  export default quickjsWasmPath;
}
