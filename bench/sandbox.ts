/**
 * `bun bench/sandbox.ts`: what an INLINE script costs on Bun (adapters/bun/sandbox.ts: QuickJS as
 * wasm, a fresh context per evaluation). Prints p50/p99 in µs; no thresholds.
 *
 *   inline     a typical INLINE expression over a typical input: context, prelude, `$` in,
 *              evaluation, result out
 *   small      `$.value * 2` over `{value: 21}`: the fixed cost of an evaluation
 *   switch     a SWITCH-style condition
 *   context    what the fresh context alone costs (newContext + dispose, no script)
 *   instance   a new QuickJS instance (what replacing a failed or grown one costs, off the hot path)
 *   ops        interpreter work per second, from a loop that spends its whole operation budget
 *
 * Environment: BENCH_SANDBOX_RUNS=20000.
 */
import { createSandbox } from "../adapters/bun/sandbox.ts";
import variant from "@jitl/quickjs-wasmfile-release-sync";
import { newQuickJSWASMModuleFromVariant, newVariant } from "quickjs-emscripten-core";
import { ScriptError } from "../src/ports/sandbox.ts";
import { createQuickJSSandbox, DEFAULT_LIMITS } from "../src/sandbox/quickjs-sandbox.ts";
import { fmt, measureMicros, microsLine, summarize, type Summary } from "./lib/stats.ts";
import { TYPICAL_INPUT as input, TYPICAL_SCRIPT as script } from "./lib/typical.ts";

const RUNS = Number(process.env.BENCH_SANDBOX_RUNS ?? 20_000);

/** The typical INLINE (bench/lib/typical.ts) in this process, warmed up: µs per evaluation (bench/run.ts's `system` section). */
export async function measureTypicalInline(runs = RUNS): Promise<Summary> {
  const sandbox = await createSandbox();
  const inline = () => sandbox.evaluate(script, { $: input });
  measureMicros(inline, 2000);
  return summarize(measureMicros(inline, runs));
}

async function main(): Promise<void> {
  const t0 = performance.now();
  const sandbox = await createSandbox();
  console.log(`QuickJS (quickjs-emscripten 0.32.0, release-sync wasm) on Bun ${Bun.version}; module compile + first instance: ${fmt(performance.now() - t0)} ms`);
  console.log(`input: ${JSON.stringify(input).length} bytes of JSON; result: ${JSON.stringify(sandbox.evaluate(script, { $: input }))}`);

  const inline = () => sandbox.evaluate(script, { $: input });
  const small = () => sandbox.evaluate("$.value * 2", { $: { value: 21 } });
  const condition = () => sandbox.evaluate("$.amount > 100 ? 'big' : 'small'", { $: { amount: 500 } });

  // Warm up the engine's tiers before measuring.
  measureMicros(inline, 2000);
  measureMicros(small, 2000);

  console.log(microsLine("inline: typical INLINE (10 orders)", measureMicros(inline, RUNS)));
  console.log(microsLine("small: $.value * 2", measureMicros(small, RUNS)));
  console.log(microsLine("switch: $.amount > 100 ? 'big' : 'small'", measureMicros(condition, RUNS)));

  // The context alone, on a bare runtime of the same build.
  const wasm = await WebAssembly.compile(await Bun.file(Bun.resolveSync("@jitl/quickjs-wasmfile-release-sync/wasm", import.meta.dir)).arrayBuffer());
  const runtime = (await newQuickJSWASMModuleFromVariant(newVariant(variant, { wasmModule: wasm }))).newRuntime();
  measureMicros(() => runtime.newContext().dispose(), 2000);
  console.log(microsLine("context: newContext + dispose", measureMicros(() => runtime.newContext().dispose(), RUNS)));

  const instances: number[] = [];
  for (let i = 0; i < 50; i++) {
    const t = performance.now();
    await createQuickJSSandbox(wasm);
    instances.push((performance.now() - t) * 1000);
  }
  console.log(microsLine("instance: a new QuickJS instance", instances.slice(10)));

  const started = performance.now();
  try {
    sandbox.evaluate("let n = 0; while (true) n++", { $: {} });
  } catch (error) {
    if (!(error instanceof ScriptError) || error.kind !== "limit") throw error;
  }
  const seconds = (performance.now() - started) / 1000;
  console.log(`ops: an infinite loop is stopped after ${fmt(seconds * 1000)} ms (${DEFAULT_LIMITS.operationChecks} interrupt polls)`);
}

if (import.meta.main) await main();
