/**
 * The same sandbox in real workerd: test/sandbox/worker (which imports adapters/cloudflare/sandbox.ts,
 * so QuickJS's .wasm as a module) bundled by wrangler as `npm run build:worker` bundles Baton,
 * served by miniflare. Holds workerd to the table of cases.ts, the limits, and recovery.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import { startProbeWorker, type ProbeWorker } from "../support/probe-worker.ts";
import { allowedGlobals, errorCases, globalsScript, resultCases } from "./cases.ts";

const MEMORY_BUDGET = 32 * 1024 * 1024; // DEFAULT_LIMITS.memoryBytes

type Outcome = { ok: true; result: unknown } | { ok: false; error: { kind: string; message: string } };
interface Answer {
  served: number;
  failures: number;
  memoryBytes: number;
  outcome?: Outcome;
  outcomes?: Outcome[];
}

let worker: ProbeWorker;
let served = 0;

/** One request; checks that the same isolate answered it (its count of requests went up by one). */
async function post(body: unknown): Promise<Answer> {
  const res = await worker.mf.dispatchFetch("http://sandbox.test/", { method: "POST", body: JSON.stringify(body) });
  expect(res.status).toBe(200);
  const answer = (await res.json()) as Answer;
  expect(answer.served).toBe(++served);
  return answer;
}

async function evaluate(script: string, input: unknown = {}): Promise<Outcome> {
  return (await post({ script, input })).outcome!;
}

/** The Worker answers a plain script, within its memory budget, in the same isolate. */
async function expectHealthy(): Promise<void> {
  const answer = await post({ script: "$.value * 2", input: { value: 21 } });
  expect(answer.outcome).toEqual({ ok: true, result: 42 });
  expect(answer.memoryBytes).toBeLessThanOrEqual(MEMORY_BUDGET);
}

beforeAll(async () => {
  worker = await startProbeWorker(join(import.meta.dir, "worker", "wrangler.toml"), "worker.js");
  // wrangler's default rules emit the .wasm beside the entry module, to be loaded as a compiled module.
  expect(worker.files.some((f) => f.endsWith("emscripten-module.wasm"))).toBe(true);
}, 120_000);

afterAll(() => worker?.dispose());

describe("the sandbox in workerd", () => {
  test("every result case, in one request", async () => {
    const { outcomes } = await post({ batch: resultCases.map(({ script, input }) => ({ script, input })) });
    const wrong = resultCases.flatMap((c, i) => (Bun.deepEquals(outcomes![i], { ok: true, result: c.result }) ? [] : [`${c.name}: ${JSON.stringify(outcomes![i])}`]));
    expect(wrong).toEqual([]);
  });

  for (const c of errorCases) {
    test(`${c.name}: fails the same way, and the Worker stays healthy`, async () => {
      expect(await evaluate(c.script, c.input)).toEqual({ ok: false, error: { kind: c.kind, message: c.message } });
      await expectHealthy();
    });
  }

  test("the script's globals are QuickJS's own, and nothing of workerd's", async () => {
    const outcome = await evaluate(globalsScript);
    expect(outcome.ok).toBe(true);
    const names = (outcome as { result: string[] }).result;
    expect(names.filter((name) => !allowedGlobals.has(name))).toEqual([]);
  });

  test("Math.random differs between evaluations of one request, though workerd's clock stands still", async () => {
    const { outcomes } = await post({ batch: Array.from({ length: 10 }, () => ({ script: "[Math.random(), Date.now()]" })) });
    const draws = outcomes!.map((o) => (o as { result: [number, number] }).result);
    expect(new Set(draws.map(([r]) => r)).size).toBe(10);
    for (const [, now] of draws) expect(typeof now).toBe("number");
  });

  test("globals set by one evaluation are not visible in the next, in one request or the next", async () => {
    const set = { script: "var leaked = 1; globalThis.other = 2; let lexical = 3; Array.prototype.evil = 4; 0" };
    const read = { script: "[typeof leaked, typeof other, typeof lexical, typeof [].evil]" };
    const { outcomes } = await post({ batch: [set, read] });
    expect(outcomes![1]).toEqual({ ok: true, result: ["undefined", "undefined", "undefined", "undefined"] });
    expect(await evaluate(read.script)).toEqual({ ok: true, result: ["undefined", "undefined", "undefined", "undefined"] });
  });

  test("source nested deeper than workerd's stack: the instance is replaced and the sandbox recovers", async () => {
    const bomb = `${"(".repeat(5_000)}1${")".repeat(5_000)}`;
    const before = (await post({ script: "1" })).failures;
    const { outcomes, failures } = await post({ batch: [{ script: bomb }, { script: "1 + 1" }] });
    expect(outcomes![0]).toEqual({ ok: false, error: { kind: "limit", message: "script exceeded its stack limit" } });
    // The parser's recursion outruns QuickJS's stack check here: the host's stack gives out, the
    // instance is given up, and until the fresh one is loaded (next turn of the event loop) the
    // sandbox says so rather than run on a damaged instance.
    if (failures > before) expect(outcomes![1]).toEqual({ ok: false, error: { kind: "SandboxUnavailable", message: "the script sandbox is restarting after a failure" } });
    await expectHealthy();
  });

  test("what an evaluation costs in workerd (printed, not asserted)", async () => {
    const script = "$.orders.filter(o => o.paid).map(o => o.total * 2)";
    const input = { orders: Array.from({ length: 10 }, (_, i) => ({ paid: i % 2 === 0, total: i })) };
    await post({ script, input, repeat: 500 }); // warm up
    const time = async (repeat: number) => {
      const started = performance.now();
      expect((await post({ script, input, repeat })).outcome).toEqual({ ok: true, result: [0, 4, 8, 12, 16] });
      return performance.now() - started;
    };
    const one = await time(1);
    const many = await time(2_001);
    console.log(`workerd: ${(((many - one) / 2_000) * 1000).toFixed(0)} µs per INLINE evaluation (fresh context each)`);
  });
});
