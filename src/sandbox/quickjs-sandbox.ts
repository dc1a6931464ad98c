/**
 * The ScriptSandbox on QuickJS (WebAssembly), identical on Bun and workerd: the adapters only
 * supply the compiled module.
 *
 * Each evaluation gets a fresh context (about 0.1 ms) in one long-lived runtime, so no script
 * sees another's globals or a built-in another changed. A script's global object is QuickJS's
 * own: the ECMAScript built-ins (`eval` and `Function` included, as in GraalJS), `Date.now()`,
 * a `console` whose methods do nothing (GraalJS has one: scripts that log must not fail), and the
 * bindings; nothing of the host's. `Math.random` is replaced by the host's: QuickJS seeds its own
 * from the clock (milliseconds, and standing still in workerd during a request) when a context is
 * made, so evaluations close together would draw the same numbers. Bindings go in and the result
 * comes out as JSON text, parsed and stringified inside the sandbox, where the limits apply.
 */
import type { QuickJSContext, QuickJSHandle } from "quickjs-emscripten-core";
import { ScriptError, type ScriptSandbox } from "../ports/sandbox.ts";
import { DEFAULT_LIMITS, QuickJSInstance, type SandboxLimits } from "./quickjs-instance.ts";

export { DEFAULT_LIMITS, type SandboxLimits } from "./quickjs-instance.ts";

/**
 * The sandbox cannot run scripts for a moment: its instance failed and a fresh one is loading.
 * Not a ScriptError (the script is not at fault), so a task that meets it fails retryably.
 */
export class SandboxUnavailable extends Error {
  override readonly name = "SandboxUnavailable";
}

const SCRIPT_NAME = "script.js";

/** Promise jobs run after a script, at most (each is also within the operation limit). */
const MAX_JOBS = 1000;

const CONSOLE_METHODS = ["log", "info", "warn", "error", "debug", "trace"];

const LIMIT_MESSAGES = {
  operations: "script exceeded its operation limit",
  memory: "script exceeded its memory limit",
  stack: "script exceeded its stack limit",
} as const;

/**
 * Loads a sandbox on a compiled QuickJS module (`@jitl/quickjs-wasmfile-release-sync`'s
 * emscripten-module.wasm). The module is kept so that an instance whose memory grew past its
 * budget, or that failed, can be replaced by a fresh one.
 */
export async function createQuickJSSandbox(wasmModule: WebAssembly.Module, limits: Partial<SandboxLimits> = {}): Promise<QuickJSSandbox> {
  const all = { ...DEFAULT_LIMITS, ...limits };
  return new QuickJSSandbox(wasmModule, all, await QuickJSInstance.load(wasmModule, all));
}

export class QuickJSSandbox implements ScriptSandbox {
  private replacement: Promise<void> | undefined;
  /** Instances given up because a host exception escaped from them (each is replaced). */
  failures = 0;

  constructor(
    private readonly wasmModule: WebAssembly.Module,
    readonly limits: SandboxLimits,
    private instance: QuickJSInstance,
  ) {}

  /** Settles once a replacement instance, if one is loading, is in use. */
  async settled(): Promise<void> {
    while (this.replacement) await this.replacement;
  }

  /** Bytes of WebAssembly memory the current instance holds. */
  get memoryBytes(): number {
    return this.instance.memory.buffer.byteLength;
  }

  evaluate(script: string, bindings: Record<string, unknown>): unknown {
    const instance = this.instance;
    if (instance.broken) {
      this.replace(instance);
      throw new SandboxUnavailable("the script sandbox is restarting after a failure");
    }
    let ctx: QuickJSContext | undefined;
    try {
      ctx = instance.runtime.newContext();
      furnish(ctx);
      instance.begin();
      return run(ctx, instance, script, bindings);
    } catch (error) {
      if (error instanceof ScriptError) throw error;
      // A host exception from inside the wasm (a trap; the host's own stack, which QuickJS's
      // stack limit does not see, e.g. when parsing deeply nested source): its state is unknown.
      this.failures++;
      instance.broken = true;
      if (/call stack|too much recursion/i.test(String(error))) throw new ScriptError("limit", LIMIT_MESSAGES.stack);
      throw new ScriptError("runtime", `the script sandbox failed: ${String(error)}`);
    } finally {
      if (!instance.broken) {
        try {
          drainJobs(instance); // those of a script that failed
          instance.end();
          ctx?.dispose();
        } catch {
          this.failures++;
          instance.broken = true;
        }
      }
      if (instance.broken || instance.tainted || instance.bloated) this.replace(instance);
    }
  }

  /** Swaps in a fresh instance; the old one (and its memory) is left to the garbage collector. */
  private replace(old: QuickJSInstance): void {
    if (this.replacement || this.instance !== old) return;
    this.replacement = QuickJSInstance.load(this.wasmModule, this.limits).then(
      (fresh) => {
        this.instance = fresh;
        this.replacement = undefined;
      },
      () => {
        this.replacement = undefined; // the next evaluation tries again
      },
    );
  }
}

/** The fresh context's console and Math.random (host functions: a no-op, and the host's random). */
function furnish(ctx: QuickJSContext): void {
  const console = ctx.newObject();
  const drop = ctx.newFunction("log", () => undefined);
  for (const name of CONSOLE_METHODS) ctx.setProp(console, name, drop);
  ctx.setProp(ctx.global, "console", console);
  const math = ctx.getProp(ctx.global, "Math");
  const random = ctx.newFunction("random", () => ctx.newNumber(Math.random()));
  ctx.setProp(math, "random", random);
  for (const handle of [random, math, drop, console]) handle.dispose();
}

function run(ctx: QuickJSContext, instance: QuickJSInstance, script: string, bindings: Record<string, unknown>): unknown {
  const json = ctx.getProp(ctx.global, "JSON");
  const parse = ctx.getProp(json, "parse");
  const stringify = ctx.getProp(json, "stringify");
  try {
    for (const [name, value] of Object.entries(bindings)) {
      const text = toJson(name, value);
      if (text === undefined) {
        ctx.setProp(ctx.global, name, ctx.undefined);
        continue;
      }
      const arg = ctx.newString(text);
      const parsed = settle(ctx, instance, script, ctx.callFunction(parse, ctx.undefined, arg), arg);
      ctx.setProp(ctx.global, name, parsed);
      parsed.dispose();
    }
    const result = settle(ctx, instance, script, ctx.evalCode(script, SCRIPT_NAME, { type: "global" }));
    const out = settle(ctx, instance, script, ctx.callFunction(stringify, ctx.undefined, result), result);
    const text = ctx.typeof(out) === "string" ? ctx.getString(out) : undefined;
    out.dispose();
    drainJobs(instance);
    // A script may catch the out-of-memory errors and go on; over budget is a failure all the same.
    if (instance.limitHit) throw new ScriptError("limit", LIMIT_MESSAGES[instance.limitHit]);
    return text === undefined ? null : JSON.parse(text);
  } finally {
    stringify.dispose();
    parse.dispose();
    json.dispose();
  }
}

/** Promise jobs a script left run now, within its limits: a pending job would keep its context alive. */
function drainJobs(instance: QuickJSInstance): void {
  const runtime = instance.runtime;
  if (!runtime.hasPendingJob()) return;
  const jobs = runtime.executePendingJobs(MAX_JOBS);
  if (jobs.error) jobs.error.dispose();
  // Jobs that keep making jobs: the context cannot be freed, so neither can this instance's memory.
  if (runtime.hasPendingJob()) instance.tainted = true;
}

type Result = { value: QuickJSHandle; error?: undefined } | { error: QuickJSHandle; value?: undefined };

/** The value of a call or eval, or the ScriptError its failure means. Disposes `consumed`. */
function settle(ctx: QuickJSContext, instance: QuickJSInstance, script: string, result: Result, ...consumed: QuickJSHandle[]): QuickJSHandle {
  for (const handle of consumed) handle.dispose();
  if (result.error === undefined) return result.value;
  const error = result.error;
  try {
    // Past the memory budget nothing more can be allocated in there, so the error is not read.
    if (instance.limitHit) throw new ScriptError("limit", LIMIT_MESSAGES[instance.limitHit]);
    const { name, message } = describe(ctx, error);
    // InternalError from calls and JSON.stringify, SyntaxError from the parser, JSON.parse, RegExp.
    if (message === "stack overflow") throw new ScriptError("limit", LIMIT_MESSAGES.stack);
    if (name === "InternalError" && message === "out of memory") throw new ScriptError("limit", LIMIT_MESSAGES.memory);
    const text = name === undefined ? message : `${name}: ${message}`;
    // JSON.parse('x') throws a SyntaxError too: only a script that does not compile is "syntax".
    if (name === "SyntaxError" && !compiles(ctx, script)) throw new ScriptError("syntax", text);
    throw new ScriptError("runtime", text);
  } finally {
    error.dispose();
  }
}

/** An Error's name and message; any other thrown value as text. */
function describe(ctx: QuickJSContext, error: QuickJSHandle): { name?: string; message: string } {
  const value: unknown = ctx.dump(error);
  if (value !== null && typeof value === "object") {
    const { name, message } = value as { name?: unknown; message?: unknown };
    if (typeof message === "string") return { name: typeof name === "string" ? name : "Error", message };
  }
  if (typeof value === "string") return { message: value };
  return { message: JSON.stringify(value) ?? String(value) };
}

function compiles(ctx: QuickJSContext, script: string): boolean {
  const compiled = ctx.evalCode(script, SCRIPT_NAME, { type: "global", compileOnly: true });
  (compiled.error ?? compiled.value).dispose();
  return compiled.error === undefined;
}

function toJson(name: string, value: unknown): string | undefined {
  try {
    return JSON.stringify(value);
  } catch (error) {
    throw new ScriptError("runtime", `binding ${name} is not JSON data: ${String(error)}`);
  }
}
