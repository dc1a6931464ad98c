/**
 * One QuickJS WebAssembly instance with its own linear memory and one runtime carrying the
 * sandbox's limits. Runtime-agnostic: the adapter hands over the compiled `WebAssembly.Module`
 * (imported as a module on workerd, compiled from the package's file on Bun).
 *
 * Memory. QuickJS's own limit (`setMemoryLimit`) is unreliable in this build: under Emscripten
 * `malloc_usable_size` is 0, so QuickJS counts 8 bytes per live allocation and only refuses single
 * allocations larger than the limit. And the wasm memory must never run out: quickjs-emscripten's
 * glue does not check `malloc` results, so an exhausted heap corrupts the instance. So the memory
 * we pass in watches its own growth: the moment it would grow past `memoryBytes`, the runtime's
 * QuickJS limit drops to 1 byte (every later allocation by the script fails cleanly while the
 * glue's small allocations still succeed) and the next interrupt poll stops the script. Growth
 * itself is allowed, so the overshoot is one allocation (at most `memoryBytes / 4`, QuickJS's
 * per-allocation limit) plus Emscripten's 20 % growth step; `maximum` is a backstop above that.
 * Wasm memory never shrinks: an instance that grew past its budget is replaced by the sandbox.
 */
import releaseSyncVariant from "@jitl/quickjs-wasmfile-release-sync";
import { newQuickJSWASMModuleFromVariant, newVariant, type QuickJSRuntime, type QuickJSWASMModule } from "quickjs-emscripten-core";

export interface SandboxLimits {
  /**
   * Bytes the instance's WebAssembly memory may grow to while a script runs (it starts at the
   * 16 MiB the module needs, about 5 MiB of which is the C stack). A script that makes it grow
   * further fails with "script exceeded its memory limit".
   */
  memoryBytes: number;
  /**
   * QuickJS's stack limit in bytes (JS recursion, JSON and String() of nested data, nested regexps).
   * QuickJS measures the wasm's own stack, while the wasm's calls also use the host's stack, which
   * is small in workerd (about 1 MiB): measured there, at 64 KiB QuickJS stops JSON.stringify of
   * nested objects at ~4,500 levels where workerd's stack gives out at ~6,000, and JS recursion at
   * ~400 calls. What it cannot see (the parser on deeply nested source) the sandbox survives by
   * replacing the instance.
   */
  stackBytes: number;
  /**
   * How many times one evaluation may be polled by QuickJS's interrupt handler. QuickJS polls it
   * every 10,000 interpreter steps (function calls and backward jumps; the regex engine every
   * 10,000 backtracking steps), so this counts work, not time: the Workers clock does not advance
   * during CPU work. 2,000 polls let a script run a few million loop iterations; an endless loop
   * is stopped after 0.15–0.5 s on Bun, catastrophic regex backtracking after ~0.5 s (Bun) to ~1.2 s
   * (workerd). A step can be a whole native call (JSON.parse of a large string, sorting a large
   * array), so a loop of such calls runs longer per poll: bounded by the memory budget, not by time.
   */
  operationChecks: number;
}

export const DEFAULT_LIMITS: SandboxLimits = {
  memoryBytes: 32 * 1024 * 1024,
  stackBytes: 64 * 1024,
  operationChecks: 2_000,
};

const PAGE = 64 * 1024;
/** What the module declares as its memory's minimum (Emscripten's INITIAL_MEMORY, 16 MiB). */
const INITIAL_PAGES = 256;

export type LimitHit = "operations" | "memory";

export class QuickJSInstance {
  /** The limit the running evaluation ran into, if any (reset by `begin`). */
  limitHit: LimitHit | undefined;
  /** A host exception escaped from the wasm: the instance's state can no longer be trusted. */
  broken = false;
  /** Something of a script outlives its context (promise jobs without end): replace the instance. */
  tainted = false;
  /**
   * Whether a script's context is set up and running. Outside, growth past the budget is let be
   * (the instance is replaced afterwards): QuickJS failing an allocation inside JS_NewContext would
   * leave quickjs-emscripten with a null context.
   */
  running = false;
  private checks = 0;

  private constructor(
    readonly module: QuickJSWASMModule,
    readonly runtime: QuickJSRuntime,
    readonly memory: WebAssembly.Memory,
    private readonly limits: SandboxLimits,
  ) {}

  static async load(wasmModule: WebAssembly.Module, limits: SandboxLimits): Promise<QuickJSInstance> {
    if (limits.memoryBytes <= INITIAL_PAGES * PAGE) throw new RangeError("the sandbox's memory budget must exceed the 16 MiB QuickJS starts with");
    const memory = new WebAssembly.Memory({
      initial: INITIAL_PAGES,
      maximum: Math.ceil((limits.memoryBytes * 2 + 16 * 1024 * 1024) / PAGE),
    });
    let instance: QuickJSInstance | undefined;
    const grow = memory.grow.bind(memory);
    // Emscripten grows the heap from JS (`wasmMemory.grow(pages)`), so this sees every growth.
    memory.grow = (delta: number) => {
      if (instance?.running && memory.buffer.byteLength + delta * PAGE > limits.memoryBytes) instance.overBudget();
      return grow(delta);
    };
    const module = await newQuickJSWASMModuleFromVariant(newVariant(releaseSyncVariant, { wasmModule, wasmMemory: memory }));
    const runtime = module.newRuntime();
    instance = new QuickJSInstance(module, runtime, memory, limits);
    runtime.setMemoryLimit(instance.quickjsMemoryLimit);
    runtime.setMaxStackSize(limits.stackBytes);
    runtime.setInterruptHandler(() => instance.onInterrupt());
    return instance;
  }

  /** QuickJS's own limit: it caps single allocations and the number of live ones (see above). */
  private get quickjsMemoryLimit(): number {
    return Math.floor(this.limits.memoryBytes / 4);
  }

  /** Whether the memory grew past the budget (it cannot shrink: the instance should be replaced). */
  get bloated(): boolean {
    return this.memory.buffer.byteLength > this.limits.memoryBytes;
  }

  /** Call once the evaluation's context exists, before anything runs in it. */
  begin(): void {
    this.checks = 0;
    this.limitHit = undefined;
    this.running = true;
  }

  /** Call before the context is disposed; restores the runtime's memory limit if it was exhausted. */
  end(): void {
    this.running = false;
    if (this.limitHit === "memory" && !this.broken) this.runtime.setMemoryLimit(this.quickjsMemoryLimit);
  }

  private overBudget(): void {
    if (this.limitHit === "memory") return;
    this.limitHit = "memory";
    // Called from inside malloc (via the grow import): QTS_RuntimeSetMemoryLimit only stores a field.
    this.runtime.setMemoryLimit(1);
  }

  private onInterrupt(): boolean {
    if (this.limitHit) return true;
    if (++this.checks > this.limits.operationChecks) {
      this.limitHit = "operations";
      return true;
    }
    return false;
  }
}
