/**
 * `bun bench/jq.ts`: what a JSON_JQ_TRANSFORM's jq costs (src/jq/jqjs.ts: jqjs, jq in plain
 * JavaScript, as both the Bun server and the Worker run it). Prints p50/p99 in µs; no thresholds.
 *
 *   run        a typical transform, program already compiled (the steady state: programs are
 *              cached), input copied in, outputs checked out
 *   compile    the first run of a new program (jqjs parses it; Baton checks the tree)
 *   budget     how long the default step budget lasts on a loop that spends all of it, i.e. the
 *              longest a runaway program holds the thread
 *
 * Environment: BENCH_JQ_RUNS=20000, BENCH_JQ_COMPILES=300.
 */
import { createJq, DEFAULT_MAX_STEPS } from "../src/jq/jqjs.ts";
import { fmt, measureMicros, microsLine, summarize, type Summary } from "./lib/stats.ts";
import { TYPICAL_INPUT as input, TYPICAL_JQ as query } from "./lib/typical.ts";

const RUNS = Number(process.env.BENCH_JQ_RUNS ?? 20_000);
const COMPILES = Number(process.env.BENCH_JQ_COMPILES ?? 300);

const conductorQuery = "{ key3: (.key1.value1 + .key2.value2) }";
const conductorInput = { key1: { value1: ["a", "b"] }, key2: { value2: ["c", "d"] } };
const bigInput = { items: Array.from({ length: 1000 }, (_, i) => ({ id: i, tags: ["x", "y"], price: i / 10 })) };
const bigQuery = "[.items[] | select(.price > 50) | {id, n: (.tags | length)}] | length";

/** The typical transform (bench/lib/typical.ts) in this process, warmed up: µs per run (bench/run.ts's `system` section). */
export function measureTypicalJq(runs = RUNS): Summary {
  const jq = createJq();
  measureMicros(() => jq.run(query, input), 2000);
  return summarize(measureMicros(() => jq.run(query, input), runs));
}

function main(): void {
  const t0 = performance.now();
  const jq = createJq();
  console.log(`jqjs (@michaelhomer/jqjs) on Bun ${Bun.version}; createJq: ${fmt(performance.now() - t0, 2)} ms`);
  console.log(`input: ${JSON.stringify(input).length} bytes of JSON; output: ${JSON.stringify(jq.run(query, input)).length} bytes`);

  // Warm up the engine's tiers before measuring.
  measureMicros(() => jq.run(query, input), 2000);
  measureMicros(() => jq.run(conductorQuery, conductorInput), 2000);

  console.log(microsLine("run: typical transform (10 orders)", measureMicros(() => jq.run(query, input), RUNS)));
  console.log(microsLine("run: Conductor's example (key3: a + b)", measureMicros(() => jq.run(conductorQuery, conductorInput), RUNS)));
  console.log(microsLine("run: identity on the same input", measureMicros(() => jq.run(".", input), RUNS)));
  console.log(microsLine("run: filter 1,000 items", measureMicros(() => jq.run(bigQuery, bigInput), Math.ceil(RUNS / 20))));
  console.log(microsLine("compile: a new program (first run)", measureMicros((i) => jq.run(`${conductorQuery} | .n = ${i}`, conductorInput), COMPILES)));

  const loop = measureMicros(() => {
    try {
      jq.run("until(false; .)", null);
    } catch {
      // the budget ran out, as intended
    }
  }, 10);
  const ms = summarize(loop).p50! / 1000;
  console.log(`budget: the default ${DEFAULT_MAX_STEPS.toLocaleString("en-US")} steps last ${fmt(ms)} ms on a runaway loop (${fmt((DEFAULT_MAX_STEPS / ms) * 1000 / 1e6, 1)} million steps/s)`);
}

if (import.meta.main) main();
